-- E-petitions: the petition with its frozen rules and legal dates, its public signer chain,
-- and its timeline.

CREATE TABLE petitions (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    number BIGINT NOT NULL,
    -- No foreign key: a petition outlives its author's account.
    author_id BLOB NOT NULL,
    author_name TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category TEXT NOT NULL,
    status TEXT NOT NULL,
    refusal_reason TEXT,
    refusal_text TEXT,
    decision TEXT,
    answer_text TEXT,
    threshold BIGINT NOT NULL,
    collection_days BIGINT NOT NULL,
    moderation_days BIGINT NOT NULL,
    consideration_days BIGINT NOT NULL,
    signature_count BIGINT NOT NULL,
    chain_head BLOB NOT NULL,
    created_at TEXT NOT NULL,
    submitted_at TEXT,
    moderation_due TEXT,
    published_at TEXT,
    collection_ends TEXT,
    threshold_reached_at TEXT,
    consideration_due TEXT,
    answered_at TEXT,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX petitions_number ON petitions (community_id, number);
CREATE INDEX petitions_by_status ON petitions (community_id, status, published_at);

CREATE TABLE petition_signatures (
    community_id BLOB NOT NULL,
    petition_id BLOB NOT NULL,
    seq BIGINT NOT NULL,
    -- The person (keyed hash of the tax number) or, below e-ID level, the account: one each.
    signer_key BLOB NOT NULL,
    user_id BLOB,
    display_name TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    commitment BLOB NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (community_id, petition_id, seq),
    FOREIGN KEY (community_id, petition_id) REFERENCES petitions (community_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX petition_signatures_once ON petition_signatures (community_id, petition_id, signer_key);

CREATE TABLE petition_events (
    community_id BLOB NOT NULL,
    petition_id BLOB NOT NULL,
    id BLOB NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    actor_id BLOB,
    note TEXT NOT NULL,
    PRIMARY KEY (community_id, petition_id, id),
    FOREIGN KEY (community_id, petition_id) REFERENCES petitions (community_id, id) ON DELETE CASCADE
);
-- For the job that closes ended collections in all communities at once.
CREATE INDEX petitions_collecting ON petitions (status, collection_ends);
