-- SQLite's migration 0015 replaces its AFTER INSERT trigger on feedback by counts the store
-- adds itself (each insert was a statement journal there: crates/phare-sqlite/migrations/
-- 0015_inbox_counts_of_new_items.sql). PostgreSQL keeps its trigger, which costs no such
-- thing; the table says who keeps it.
COMMENT ON TABLE inbox_counts IS
    'Feedback items per workspace, product (the nil UUID for none), source and state, kept by '
    'the feedback triggers. SQLite adds new items from the store instead of a trigger (0015).';
