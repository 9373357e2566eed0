-- Open City: categories of public problems routed to departments (by area, optionally), the
-- reports residents file on the map, their supporters, timelines and subscriptions, and the
-- Open311 clients allowed to file reports.

CREATE TABLE city_categories (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    -- Stable short code: the Open311 service_code.
    code TEXT NOT NULL,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    description_uk TEXT NOT NULL,
    -- No foreign key: removing a department leaves its categories unrouted, not broken.
    department_id UUID,
    -- Extra questions asked with a report of this category (JSON list).
    questions JSONB NOT NULL,
    position BIGINT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX city_categories_code ON city_categories (community_id, code);

-- Where a category goes to another department: a settlement, or a polygon of lat/lon pairs.
CREATE TABLE city_category_areas (
    community_id UUID NOT NULL,
    id UUID NOT NULL,
    category_id UUID NOT NULL,
    department_id UUID NOT NULL,
    settlement_id UUID,
    polygon JSONB,
    label TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, category_id) REFERENCES city_categories (community_id, id) ON DELETE CASCADE
);
CREATE INDEX city_category_areas_by_category ON city_category_areas (community_id, category_id, position);

CREATE TABLE city_reports (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    number BIGINT NOT NULL,
    category_id UUID NOT NULL,
    -- No foreign key: a report outlives its author's account; Open311 reports may have none.
    author_id UUID,
    author_name TEXT NOT NULL,
    author_email TEXT,
    description TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    settlement_id UUID,
    address TEXT NOT NULL,
    department_id UUID,
    status TEXT NOT NULL,
    rejection_reason TEXT,
    merged_into UUID,
    support_count BIGINT NOT NULL,
    answers JSONB NOT NULL,
    source TEXT NOT NULL,
    api_client_id UUID,
    -- Handed to an Open311 client while the report waits for moderation.
    token TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, category_id) REFERENCES city_categories (community_id, id)
);
CREATE UNIQUE INDEX city_reports_number ON city_reports (community_id, number);
CREATE UNIQUE INDEX city_reports_token ON city_reports (community_id, token);
CREATE INDEX city_reports_by_status ON city_reports (community_id, status, published_at);
CREATE INDEX city_reports_by_place ON city_reports (community_id, lat, lon);
CREATE INDEX city_reports_updated ON city_reports (community_id, updated_at);

-- "I have this too": one row per person per report, whatever the race.
CREATE TABLE city_supports (
    community_id UUID NOT NULL,
    report_id UUID NOT NULL,
    user_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, report_id, user_id),
    FOREIGN KEY (community_id, report_id) REFERENCES city_reports (community_id, id) ON DELETE CASCADE
);

CREATE TABLE city_events (
    community_id UUID NOT NULL,
    report_id UUID NOT NULL,
    id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL,
    status TEXT,
    actor_id UUID,
    actor_name TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (community_id, report_id, id),
    FOREIGN KEY (community_id, report_id) REFERENCES city_reports (community_id, id) ON DELETE CASCADE
);

-- A person follows a report, or an area (a settlement) for new published reports.
CREATE TABLE city_subscriptions (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    user_id UUID NOT NULL,
    kind TEXT NOT NULL,
    target_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, user_id, kind, target_id)
);
CREATE INDEX city_subscriptions_by_target ON city_subscriptions (community_id, kind, target_id);

CREATE TABLE city_api_clients (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    name TEXT NOT NULL,
    -- SHA-256 of the key; the key itself is shown once, when issued.
    key_hash BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX city_api_clients_key ON city_api_clients (key_hash);
