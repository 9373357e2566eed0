-- The platform core: communities, accounts, sessions, roles, departments, audit, mail.
-- Every tenant-owned table starts its keys with community_id.

CREATE TABLE communities (
    id BLOB PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    coat_of_arms TEXT,
    contacts TEXT NOT NULL,
    statute TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE community_hosts (
    host TEXT PRIMARY KEY,
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    is_primary BOOLEAN NOT NULL
);
CREATE INDEX community_hosts_by_community ON community_hosts (community_id);
CREATE UNIQUE INDEX community_hosts_one_primary ON community_hosts (community_id) WHERE is_primary;

CREATE TABLE settlements (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    kind TEXT NOT NULL,
    starosta_district TEXT,
    position BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);

CREATE TABLE users (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    email TEXT,
    email_norm TEXT,
    password_hash TEXT,
    full_name TEXT NOT NULL,
    -- Lowercased name and e-mail, folded in Rust: SQLite's LOWER() knows only ASCII.
    search_text TEXT NOT NULL,
    settlement_id BLOB,
    birth_year BIGINT,
    lang TEXT NOT NULL,
    email_confirmed_at TEXT,
    phone TEXT,
    phone_verified_at TEXT,
    person_key BLOB,
    eid_verified_at TEXT,
    verified_in_person_at TEXT,
    verified_in_person_by BLOB,
    failed_logins BIGINT NOT NULL,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, settlement_id) REFERENCES settlements (community_id, id)
);
CREATE UNIQUE INDEX users_email ON users (community_id, email_norm);
CREATE UNIQUE INDEX users_person ON users (community_id, person_key);

CREATE TABLE operators (
    id BLOB PRIMARY KEY,
    email_norm TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL,
    locked_until TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    community_id BLOB REFERENCES communities (id) ON DELETE CASCADE,
    user_id BLOB,
    operator_id BLOB REFERENCES operators (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_by_user ON sessions (community_id, user_id);

CREATE TABLE account_tokens (
    token_hash BLOB PRIMARY KEY,
    community_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    purpose TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);
CREATE INDEX account_tokens_by_user ON account_tokens (community_id, user_id);

CREATE TABLE api_tokens (
    community_id BLOB NOT NULL,
    id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);
CREATE INDEX api_tokens_by_user ON api_tokens (community_id, user_id);

CREATE TABLE eid_requests (
    state TEXT PRIMARY KEY,
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL,
    created_at TEXT NOT NULL,
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);

CREATE TABLE user_roles (
    community_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    role TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (community_id, user_id, role),
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);

CREATE TABLE departments (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    email TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);

CREATE TABLE department_officers (
    community_id BLOB NOT NULL,
    department_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    PRIMARY KEY (community_id, department_id, user_id),
    FOREIGN KEY (community_id, department_id) REFERENCES departments (community_id, id) ON DELETE CASCADE,
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);

CREATE TABLE audit_log (
    community_id BLOB,
    id BLOB NOT NULL PRIMARY KEY,
    at TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id BLOB,
    actor_label TEXT NOT NULL,
    -- The label lowercased in Rust, for filtering alike on both backends.
    actor_norm TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    summary TEXT NOT NULL
);
CREATE INDEX audit_log_by_community ON audit_log (community_id, at);

CREATE TABLE outbox (
    community_id BLOB,
    id BLOB NOT NULL PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_by_community ON outbox (community_id, created_at);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE public_holidays (
    day TEXT PRIMARY KEY,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    is_working BOOLEAN NOT NULL
);
