-- Migration 0013 moves SQLite's backlog order by score out of the ideas' rows, into two narrow
-- tables rebuilt in key order on a re-scoring (SQLite moved every index entry at random
-- otherwise: crates/phare-sqlite/migrations/0013_backlog_score_order.sql). PostgreSQL keeps
-- the order in `ideas.score` and its two indexes, rewritten by one UPDATE of the rows that
-- change; the schema parity test lists this difference. Here the column says so.
COMMENT ON COLUMN ideas.score IS
    'The primary framework''s value of the idea (NULL: not scored), the backlog''s order by '
    'score. SQLite keeps it in backlog_by_score and backlog_by_status_score instead (0013).';
