-- New feedback items are added to the inbox counts by the store, not by a row trigger (issue
-- #3's import target, docs/PERFORMANCE.md). With an AFTER INSERT trigger on `feedback`, every
-- insert was a statement that might need undoing alone: SQLite opened a statement journal for
-- each, and FTS5 flushed its pending terms at each of those savepoints. Without it, a first
-- import of 100,000 rows runs about a fifth faster. The store adds one per item it creates
-- (`insert_feedback_row`), one upsert per product and source for each chunk of an import, and
-- recounts after loading a dump. The update and delete triggers stay: no path changes or
-- deletes feedback in bulk fast enough for them to matter.
DROP TRIGGER feedback_counts_insert;
