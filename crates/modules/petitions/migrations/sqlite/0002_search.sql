-- Full-text search over petition titles and texts: FTS5 with Unicode case and diacritics
-- folding, and prefix indexes so that a query finds words by their beginnings.
CREATE VIRTUAL TABLE petitions_fts USING fts5(
    community_id UNINDEXED,
    petition_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

INSERT INTO petitions_fts (community_id, petition_id, title, body)
SELECT community_id, id, title, body FROM petitions;

CREATE TRIGGER petitions_fts_insert AFTER INSERT ON petitions BEGIN
    INSERT INTO petitions_fts (community_id, petition_id, title, body)
    VALUES (new.community_id, new.id, new.title, new.body);
END;

-- Texts change only while a petition is a draft or returned for changes: rare enough for a scan.
CREATE TRIGGER petitions_fts_update AFTER UPDATE OF title, body ON petitions BEGIN
    UPDATE petitions_fts SET title = new.title, body = new.body WHERE petition_id = new.id;
END;

CREATE TRIGGER petitions_fts_delete AFTER DELETE ON petitions BEGIN
    DELETE FROM petitions_fts WHERE petition_id = old.id;
END;
