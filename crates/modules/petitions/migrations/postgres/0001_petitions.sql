-- E-petitions: the petition with its frozen rules and legal dates, its public signer chain,
-- and its timeline.

CREATE TABLE petitions (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    number BIGINT NOT NULL,
    -- No foreign key: a petition outlives its author's account.
    author_id UUID NOT NULL,
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
    chain_head BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    submitted_at TIMESTAMPTZ,
    moderation_due DATE,
    published_at TIMESTAMPTZ,
    collection_ends DATE,
    threshold_reached_at TIMESTAMPTZ,
    consideration_due DATE,
    answered_at TIMESTAMPTZ,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX petitions_number ON petitions (community_id, number);
CREATE INDEX petitions_by_status ON petitions (community_id, status, published_at);

CREATE TABLE petition_signatures (
    community_id UUID NOT NULL,
    petition_id UUID NOT NULL,
    seq BIGINT NOT NULL,
    -- The person (keyed hash of the tax number) or, below e-ID level, the account: one each.
    signer_key BYTEA NOT NULL,
    user_id UUID,
    display_name TEXT NOT NULL,
    signed_at TIMESTAMPTZ NOT NULL,
    commitment BYTEA NOT NULL,
    hash BYTEA NOT NULL,
    PRIMARY KEY (community_id, petition_id, seq),
    FOREIGN KEY (community_id, petition_id) REFERENCES petitions (community_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX petition_signatures_once ON petition_signatures (community_id, petition_id, signer_key);

CREATE TABLE petition_events (
    community_id UUID NOT NULL,
    petition_id UUID NOT NULL,
    id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    actor_id UUID,
    note TEXT NOT NULL,
    PRIMARY KEY (community_id, petition_id, id),
    FOREIGN KEY (community_id, petition_id) REFERENCES petitions (community_id, id) ON DELETE CASCADE
);
-- For the job that closes ended collections in all communities at once.
CREATE INDEX petitions_collecting ON petitions (status, collection_ends);
