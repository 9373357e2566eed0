-- Full-text search over petition titles and texts. The `simple` configuration folds case
-- without stemming, which serves Ukrainian and English alike; queries match word beginnings.
CREATE INDEX petitions_search ON petitions USING GIN (to_tsvector('simple', title || ' ' || body));
