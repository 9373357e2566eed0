-- Every public list order reads its page from an index instead of sorting all petitions.
-- In SQLite NULL is the smallest value, so `published_at DESC` already puts never-published
-- petitions last, as `NULLS LAST` in the queries asks.
CREATE INDEX petitions_newest ON petitions (community_id, published_at DESC, number DESC);
CREATE INDEX petitions_status_newest ON petitions (community_id, status, published_at DESC, number DESC);
CREATE INDEX petitions_most_signed ON petitions (community_id, signature_count DESC, number DESC);
CREATE INDEX petitions_ending ON petitions (community_id, (CASE WHEN status = 'collecting' THEN 0 ELSE 1 END), collection_ends, number);
