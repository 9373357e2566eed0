-- Every public list order reads its page from an index instead of sorting all petitions.
CREATE INDEX petitions_newest ON petitions (community_id, published_at DESC NULLS LAST, number DESC);
CREATE INDEX petitions_status_newest ON petitions (community_id, status, published_at DESC NULLS LAST, number DESC);
CREATE INDEX petitions_most_signed ON petitions (community_id, signature_count DESC, number DESC);
CREATE INDEX petitions_ending ON petitions (community_id, (CASE WHEN status = 'collecting' THEN 0 ELSE 1 END), collection_ends, number);

-- Search reads a stored vector instead of computing one per petition per query (the expression
-- index was not used for common words, and ranking recomputed every vector).
ALTER TABLE petitions ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || body)) STORED;
CREATE INDEX petitions_search_vector ON petitions USING GIN (search);
DROP INDEX petitions_search;
