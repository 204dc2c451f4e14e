-- Saved backlog views carry a version like every editable record; the twin of
-- crates/phare-sqlite/migrations/0012_backlog_view_versions.sql.
ALTER TABLE backlog_views ADD COLUMN version bigint NOT NULL DEFAULT 1;
