-- Site search: one row per public item of the site (a page, a news item, a document), its
-- text folded for search (lower case, ґ as г, no apostrophes), and an FTS5 index over it with
-- prefixes, so that a query finds words by their beginnings.
CREATE TABLE cms_search (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ref_id BLOB NOT NULL,
    title TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    path TEXT NOT NULL,
    folded TEXT NOT NULL,
    -- Not found before this time (a news item scheduled for later).
    visible_from TEXT NOT NULL,
    PRIMARY KEY (community_id, kind, ref_id)
);

CREATE VIRTUAL TABLE cms_search_fts USING fts5(
    folded,
    content = 'cms_search',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER cms_search_fts_insert AFTER INSERT ON cms_search BEGIN
    INSERT INTO cms_search_fts (rowid, folded) VALUES (new.rowid, new.folded);
END;
CREATE TRIGGER cms_search_fts_delete AFTER DELETE ON cms_search BEGIN
    INSERT INTO cms_search_fts (cms_search_fts, rowid, folded) VALUES ('delete', old.rowid, old.folded);
END;
CREATE TRIGGER cms_search_fts_update AFTER UPDATE ON cms_search BEGIN
    INSERT INTO cms_search_fts (cms_search_fts, rowid, folded) VALUES ('delete', old.rowid, old.folded);
    INSERT INTO cms_search_fts (rowid, folded) VALUES (new.rowid, new.folded);
END;
