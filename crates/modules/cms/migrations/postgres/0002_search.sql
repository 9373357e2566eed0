-- Site search: one row per public item of the site (a page, a news item, a document), its
-- text folded for search (lower case, ґ as г, no apostrophes), and a text-search vector over
-- it: with the Ukrainian dictionary where the server has one, the simple configuration
-- otherwise. Queries read which one was taken from the column's definition.
CREATE TABLE cms_search (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ref_id UUID NOT NULL,
    title TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    path TEXT NOT NULL,
    folded TEXT NOT NULL,
    -- Not found before this time (a news item scheduled for later).
    visible_from TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, kind, ref_id)
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'ukrainian') THEN
        ALTER TABLE cms_search ADD COLUMN search tsvector
            GENERATED ALWAYS AS (to_tsvector('ukrainian', folded)) STORED;
    ELSE
        ALTER TABLE cms_search ADD COLUMN search tsvector
            GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED;
    END IF;
END
$$;

CREATE INDEX cms_search_vector ON cms_search USING GIN (search);
