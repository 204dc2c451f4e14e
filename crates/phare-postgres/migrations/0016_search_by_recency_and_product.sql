-- Search and similar ideas on a large data set (issue #3 benchmark, docs/PERFORMANCE.md). Both
-- indexes are on expressions, so no stored row changes: the store spells each expression exactly
-- as below (`RECENT_TERMS` and `SIMILAR_SCOPE` in src/discovery.rs) for the planner to use them.
-- Analyzed terms are letters and digits only, so no word of a query matches the added lexemes.
--
-- Search ranks the newest 1,000 matches. Through `search_docs_terms` it read every match from the
-- table to find them: 29,833 entries and 160 ms for "export csv" on the large set. This index
-- replaces it and adds to each entry the lexeme `#` and its recency bucket (`doc >> 15`, 32,768
-- entries), so that the index alone narrows a query to the newest buckets first: 15 ms.
DROP INDEX search_docs_terms;
CREATE INDEX search_docs_recent ON search_docs
    USING gin ((terms || array_to_tsvector(ARRAY['#' || (doc >> 15)::text])))
    WITH (fastupdate = off);

-- Similar ideas are the ideas of one product sharing a word with the text being written. The
-- words of a common title matched about 237,000 entries of every kind and product, read and
-- filtered down to the product's 8,000 ideas: 400 ms. This index holds ideas alone, each with the
-- lexeme `@` and its product's id, so that one lookup intersects the words with the product, as
-- SQLite's `idea_fts` does with its scope token: 22 ms.
CREATE INDEX search_docs_idea_scope ON search_docs
    USING gin ((terms || array_to_tsvector(ARRAY['@' || product_id::text])))
    WITH (fastupdate = off)
    WHERE kind = 'idea';
