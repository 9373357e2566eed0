-- Citizens' appeals: the author's appeal as received (what art. 5 asks), its registration
-- number, the legal dates, who handles it, the answer and the author's rating; and the
-- timeline of every step.

CREATE TABLE appeals (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- `Е-2026-000123`: year and running number within the community's year.
    number TEXT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    -- No foreign key: the appeal is a record the body keeps after the account is gone.
    author_id BLOB NOT NULL,
    full_name TEXT NOT NULL,
    settlement TEXT NOT NULL,
    street TEXT NOT NULL,
    contact TEXT NOT NULL,
    essence TEXT NOT NULL,
    -- A complaint may point at the earlier appeal whose answer it disputes.
    complaint_about BLOB,
    publish_consent BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    study TEXT,
    department_id BLOB,
    officer_id BLOB,
    received_at TEXT NOT NULL,
    received_on TEXT NOT NULL,
    answer_due TEXT NOT NULL,
    extension_reason TEXT,
    answer_text TEXT,
    answered_at TEXT,
    forwarded_to TEXT,
    return_reason TEXT,
    rating BIGINT,
    rating_comment TEXT,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX appeals_number ON appeals (community_id, year, seq);
CREATE INDEX appeals_inbox ON appeals (community_id, status, answer_due);
CREATE INDEX appeals_of_author ON appeals (community_id, author_id, received_at);

CREATE TABLE appeal_events (
    community_id BLOB NOT NULL,
    appeal_id BLOB NOT NULL,
    id BLOB NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    actor_id BLOB,
    note TEXT NOT NULL,
    PRIMARY KEY (community_id, appeal_id, id),
    FOREIGN KEY (community_id, appeal_id) REFERENCES appeals (community_id, id) ON DELETE CASCADE
);
