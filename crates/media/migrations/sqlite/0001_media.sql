-- Uploaded files of every module, kept in the database so that app nodes hold no state.
-- A file row describes the upload; its bytes live in variants (original, display, thumb).

CREATE TABLE media_files (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- The module that owns the file, and its object (NULL until attached) and purpose there.
    owner TEXT NOT NULL,
    object_id TEXT,
    purpose TEXT NOT NULL,
    kind TEXT NOT NULL,
    content_type TEXT NOT NULL,
    file_name TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    width BIGINT,
    height BIGINT,
    sha256 TEXT NOT NULL,
    alt_text TEXT,
    public BOOLEAN NOT NULL,
    -- No foreign key: a file outlives its uploader's account.
    created_by BLOB,
    created_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX media_files_by_object ON media_files (community_id, owner, object_id);

CREATE TABLE media_variants (
    community_id BLOB NOT NULL,
    file_id BLOB NOT NULL,
    variant TEXT NOT NULL,
    content_type TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    width BIGINT,
    height BIGINT,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (community_id, file_id, variant),
    FOREIGN KEY (community_id, file_id) REFERENCES media_files (community_id, id) ON DELETE CASCADE
);
