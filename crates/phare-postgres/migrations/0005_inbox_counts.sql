-- Faster discovery reads on large data sets (issue #3 benchmark, docs/PERFORMANCE.md).
-- The PostgreSQL twin of crates/phare-sqlite/migrations/0005_inbox_counts.sql. SQLite's ideas-only
-- FTS5 index `idea_fts` has no twin: here similar ideas use `search_docs_terms` with the product.
--
-- Inbox counts by product, source and state, kept by triggers so that every path writing
-- feedback keeps them exact. Feedback on no product yet is counted under the nil UUID.
CREATE TABLE inbox_counts (
    workspace_id uuid NOT NULL REFERENCES workspaces(id),
    product_id   uuid NOT NULL,
    source       text NOT NULL,
    state        text NOT NULL,
    n            bigint NOT NULL,
    PRIMARY KEY (workspace_id, product_id, source, state)
);

INSERT INTO inbox_counts (workspace_id, product_id, source, state, n)
SELECT workspace_id, coalesce(product_id, '00000000-0000-0000-0000-000000000000'::uuid), source,
       state, count(*)
FROM feedback GROUP BY 1, 2, 3, 4;

CREATE FUNCTION feedback_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE inbox_counts SET n = n - 1
        WHERE workspace_id = OLD.workspace_id
          AND product_id = coalesce(OLD.product_id, '00000000-0000-0000-0000-000000000000'::uuid)
          AND source = OLD.source AND state = OLD.state;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO inbox_counts (workspace_id, product_id, source, state, n)
        VALUES (NEW.workspace_id,
                coalesce(NEW.product_id, '00000000-0000-0000-0000-000000000000'::uuid),
                NEW.source, NEW.state, 1)
        ON CONFLICT (workspace_id, product_id, source, state) DO UPDATE
        SET n = inbox_counts.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER feedback_counts_insert AFTER INSERT ON feedback
FOR EACH ROW EXECUTE FUNCTION feedback_counts();
CREATE TRIGGER feedback_counts_delete AFTER DELETE ON feedback
FOR EACH ROW EXECUTE FUNCTION feedback_counts();
CREATE TRIGGER feedback_counts_update AFTER UPDATE OF workspace_id, product_id, source, state
ON feedback FOR EACH ROW
WHEN (OLD.workspace_id IS DISTINCT FROM NEW.workspace_id
      OR OLD.product_id IS DISTINCT FROM NEW.product_id
      OR OLD.source IS DISTINCT FROM NEW.source OR OLD.state IS DISTINCT FROM NEW.state)
EXECUTE FUNCTION feedback_counts();

CREATE INDEX feedback_workspace_source ON feedback(workspace_id, source, state, id);
