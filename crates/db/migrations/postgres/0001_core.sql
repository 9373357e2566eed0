-- The platform core: communities, accounts, sessions, roles, departments, audit, mail.
-- Every tenant-owned table starts its keys with community_id.

CREATE TABLE communities (
    id UUID PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    coat_of_arms TEXT,
    contacts JSONB NOT NULL,
    statute JSONB NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE community_hosts (
    host TEXT PRIMARY KEY,
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    is_primary BOOLEAN NOT NULL
);
CREATE INDEX community_hosts_by_community ON community_hosts (community_id);
CREATE UNIQUE INDEX community_hosts_one_primary ON community_hosts (community_id) WHERE is_primary;

CREATE TABLE settlements (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    kind TEXT NOT NULL,
    starosta_district TEXT,
    position BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);

CREATE TABLE users (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    email TEXT,
    email_norm TEXT,
    password_hash TEXT,
    full_name TEXT NOT NULL,
    -- Lowercased name and e-mail, folded in Rust: SQLite's LOWER() knows only ASCII.
    search_text TEXT NOT NULL,
    settlement_id UUID,
    birth_year BIGINT,
    lang TEXT NOT NULL,
    email_confirmed_at TIMESTAMPTZ,
    phone TEXT,
    phone_verified_at TIMESTAMPTZ,
    person_key BYTEA,
    eid_verified_at TIMESTAMPTZ,
    verified_in_person_at TIMESTAMPTZ,
    verified_in_person_by UUID,
    failed_logins BIGINT NOT NULL,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, settlement_id) REFERENCES settlements (community_id, id)
);
CREATE UNIQUE INDEX users_email ON users (community_id, email_norm);
CREATE UNIQUE INDEX users_person ON users (community_id, person_key);

CREATE TABLE operators (
    id UUID PRIMARY KEY,
    email_norm TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    community_id UUID REFERENCES communities (id) ON DELETE CASCADE,
    user_id UUID,
    operator_id UUID REFERENCES operators (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_by_user ON sessions (community_id, user_id);

CREATE TABLE account_tokens (
    token_hash BYTEA PRIMARY KEY,
    community_id UUID NOT NULL,
    user_id UUID NOT NULL,
    purpose TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);
CREATE INDEX account_tokens_by_user ON account_tokens (community_id, user_id);

CREATE TABLE api_tokens (
    community_id UUID NOT NULL,
    id UUID NOT NULL,
    user_id UUID NOT NULL,
    name TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);
CREATE INDEX api_tokens_by_user ON api_tokens (community_id, user_id);

CREATE TABLE eid_requests (
    state TEXT PRIMARY KEY,
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    user_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);

CREATE TABLE user_roles (
    community_id UUID NOT NULL,
    user_id UUID NOT NULL,
    role TEXT NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, user_id, role),
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);

CREATE TABLE departments (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    email TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, id)
);

CREATE TABLE department_officers (
    community_id UUID NOT NULL,
    department_id UUID NOT NULL,
    user_id UUID NOT NULL,
    PRIMARY KEY (community_id, department_id, user_id),
    FOREIGN KEY (community_id, department_id) REFERENCES departments (community_id, id) ON DELETE CASCADE,
    FOREIGN KEY (community_id, user_id) REFERENCES users (community_id, id) ON DELETE CASCADE
);

CREATE TABLE audit_log (
    community_id UUID,
    id UUID NOT NULL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id UUID,
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
    community_id UUID,
    id UUID NOT NULL PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    attempts BIGINT NOT NULL,
    sent_at TIMESTAMPTZ,
    last_error TEXT
);
CREATE INDEX outbox_by_community ON outbox (community_id, created_at);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;

CREATE TABLE public_holidays (
    day DATE PRIMARY KEY,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    is_working BOOLEAN NOT NULL
);
