-- Saved backlog views carry a version like every editable record (DESIGN §concurrency): a
-- rename or a change of sharing sent with an old version is refused (API 412, a message on the
-- page) instead of overwriting a change made meanwhile in another tab or by a script.
ALTER TABLE backlog_views ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
