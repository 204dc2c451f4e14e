-- Bug reports as an idea kind (issue #4 part 6). Every idea keeps the template's columns, empty
-- for stories, so switching an idea between kinds never drops what was typed.

ALTER TABLE ideas ADD COLUMN kind TEXT NOT NULL DEFAULT 'story'
    CHECK (kind IN ('story', 'bug'));
ALTER TABLE ideas ADD COLUMN bug_steps TEXT NOT NULL DEFAULT '';
ALTER TABLE ideas ADD COLUMN bug_expected TEXT NOT NULL DEFAULT '';
ALTER TABLE ideas ADD COLUMN bug_actual TEXT NOT NULL DEFAULT '';
ALTER TABLE ideas ADD COLUMN bug_environment TEXT NOT NULL DEFAULT '';
ALTER TABLE ideas ADD COLUMN bug_severity TEXT
    CHECK (bug_severity IN ('blocker', 'critical', 'major', 'minor', 'trivial'));

-- Bugs are a minority of a product's ideas: the "bugs only" list reads this small index.
CREATE INDEX ideas_product_bugs ON ideas(product_id, id) WHERE kind = 'bug';

-- Owner filters list a product's idea owners, read from this index alone.
CREATE INDEX ideas_product_owner ON ideas(product_id, owner_id) WHERE owner_id IS NOT NULL;
