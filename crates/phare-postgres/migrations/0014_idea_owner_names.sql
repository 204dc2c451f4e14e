-- The PostgreSQL twin of crates/phare-sqlite/migrations/0014_idea_owner_names.sql: each owner's
-- name and e-mail beside the counts, so that the owner filter is one range of an index, in
-- order, without a join to members and a sort.
ALTER TABLE idea_owner_counts ADD COLUMN name text NOT NULL DEFAULT '';
ALTER TABLE idea_owner_counts ADD COLUMN email text NOT NULL DEFAULT '';
UPDATE idea_owner_counts o SET name = m.name, email = m.email FROM members m WHERE m.id = o.owner_id;
CREATE INDEX idea_owner_counts_names ON idea_owner_counts(product_id, name, email, owner_id);

-- The function of migration 0011, now writing the owner's name with a new row.
CREATE OR REPLACE FUNCTION idea_owner_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.owner_id IS NOT NULL THEN
        UPDATE idea_owner_counts SET n = n - 1
        WHERE product_id = OLD.product_id AND owner_id = OLD.owner_id;
        -- An owner whose last idea goes leaves the list.
        DELETE FROM idea_owner_counts
        WHERE product_id = OLD.product_id AND owner_id = OLD.owner_id AND n <= 0;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.owner_id IS NOT NULL THEN
        INSERT INTO idea_owner_counts (product_id, owner_id, n, name, email)
        SELECT NEW.product_id, NEW.owner_id, 1, m.name, m.email FROM members m
        WHERE m.id = NEW.owner_id
        ON CONFLICT (product_id, owner_id) DO UPDATE SET n = idea_owner_counts.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

-- A renamed member is renamed in every product's list (rare; a row per product and owner).
CREATE FUNCTION idea_owner_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE idea_owner_counts SET name = NEW.name, email = NEW.email WHERE owner_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER idea_owner_counts_member AFTER UPDATE OF name, email ON members
FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email)
EXECUTE FUNCTION idea_owner_names();
