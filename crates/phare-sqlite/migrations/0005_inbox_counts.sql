-- Faster discovery reads on large data sets (issue #3 benchmark, docs/PERFORMANCE.md).
--
-- 1. Inbox counts by product, source and state, kept by triggers so that every path writing
--    feedback (forms, API, imports, the portal, research passages, loading a dump) keeps them
--    exact. Counting used to read every matching feedback row on each inbox view (up to 0.5 s
--    at a million items); the counts of a product now read at most a few dozen rows.
--    Feedback on no product yet is counted under the nil UUID.
CREATE TABLE inbox_counts (
    workspace_id BLOB NOT NULL REFERENCES workspaces(id),
    product_id   BLOB NOT NULL,
    source       TEXT NOT NULL,
    state        TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, product_id, source, state)
) WITHOUT ROWID, STRICT;

INSERT INTO inbox_counts (workspace_id, product_id, source, state, n)
SELECT workspace_id, coalesce(product_id, zeroblob(16)), source, state, count(*)
FROM feedback GROUP BY 1, 2, 3, 4;

CREATE TRIGGER feedback_counts_insert AFTER INSERT ON feedback BEGIN
    INSERT INTO inbox_counts (workspace_id, product_id, source, state, n)
    VALUES (new.workspace_id, coalesce(new.product_id, zeroblob(16)), new.source, new.state, 1)
    ON CONFLICT (workspace_id, product_id, source, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER feedback_counts_delete AFTER DELETE ON feedback BEGIN
    UPDATE inbox_counts SET n = n - 1
    WHERE workspace_id = old.workspace_id AND product_id = coalesce(old.product_id, zeroblob(16))
      AND source = old.source AND state = old.state;
END;

CREATE TRIGGER feedback_counts_update AFTER UPDATE OF workspace_id, product_id, source, state
ON feedback
WHEN old.workspace_id IS NOT new.workspace_id OR old.product_id IS NOT new.product_id
  OR old.source IS NOT new.source OR old.state IS NOT new.state
BEGIN
    UPDATE inbox_counts SET n = n - 1
    WHERE workspace_id = old.workspace_id AND product_id = coalesce(old.product_id, zeroblob(16))
      AND source = old.source AND state = old.state;
    INSERT INTO inbox_counts (workspace_id, product_id, source, state, n)
    VALUES (new.workspace_id, coalesce(new.product_id, zeroblob(16)), new.source, new.state, 1)
    ON CONFLICT (workspace_id, product_id, source, state) DO UPDATE SET n = n + 1;
END;

-- 2. The workspace-wide inbox filtered by source had no index of its own (the list walked the
--    workspace's items checking the source; counting with other filters read the whole table).
CREATE INDEX feedback_workspace_source ON feedback(workspace_id, source, state, id);

-- 3. Similar ideas search the ideas of one product only. They shared the index of a million
--    feedback items and were filtered after ranking; this index holds ideas alone, each with a
--    `scope` token for its product (`p` + the product id in hex), so the MATCH itself narrows to
--    the product. Rows are the ideas' `search_docs.doc`. It is filled by the store (the terms
--    come from the Rust analyzer): at migration time for existing ideas, then with each change.
CREATE VIRTUAL TABLE idea_fts USING fts5(
    terms,
    scope,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
