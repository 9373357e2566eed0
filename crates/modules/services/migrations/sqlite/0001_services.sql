-- City services: the CNAP catalogue of administrative services (cards by the standard fields,
-- in categories, offered at offices), the offices themselves (the CNAP, its remote workplaces
-- at starosta districts), tiles for services run elsewhere, and public cameras.

CREATE TABLE services_categories (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- Stable short code, used by imports and addresses.
    code TEXT NOT NULL,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    position BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX services_categories_code ON services_categories (community_id, code);

CREATE TABLE services_cards (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- The public number in addresses: /services/12.
    number BIGINT NOT NULL,
    -- The service's identifier in the national register of administrative services, when it has one;
    -- imports match existing cards by it (or by name when it is empty).
    code TEXT NOT NULL,
    -- No foreign key: removing a category leaves its cards uncategorised.
    category_id BLOB,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    recipients TEXT NOT NULL,
    documents TEXT NOT NULL,
    -- NULL: free of charge.
    cost_kopiykas BIGINT,
    cost_note TEXT NOT NULL,
    term TEXT NOT NULL,
    result TEXT NOT NULL,
    how_to_receive TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    online_url TEXT,
    published BOOLEAN NOT NULL,
    -- Name, code and fields folded for search (see hromada_kernel::text::fold).
    folded TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX services_cards_number ON services_cards (community_id, number);
-- One card per register identifier; cards without one are told apart by name.
CREATE UNIQUE INDEX services_cards_code ON services_cards (community_id, code) WHERE code <> '';
CREATE INDEX services_cards_by_category ON services_cards (community_id, category_id, name_uk);

CREATE TABLE services_offices (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- cnap | remote (a remote workplace of the CNAP) | starosta (a starosta's office)
    kind TEXT NOT NULL,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    address TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    hours TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    position BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX services_offices_order ON services_offices (community_id, position);

-- Where a service is offered; a card with no offices is offered at every office.
CREATE TABLE services_card_offices (
    community_id BLOB NOT NULL,
    card_id BLOB NOT NULL,
    office_id BLOB NOT NULL,
    PRIMARY KEY (community_id, card_id, office_id),
    FOREIGN KEY (community_id, card_id) REFERENCES services_cards (community_id, id) ON DELETE CASCADE,
    FOREIGN KEY (community_id, office_id) REFERENCES services_offices (community_id, id) ON DELETE CASCADE
);

-- Services run elsewhere, shown as tiles: the transport e-ticket, the school e-diary, Diia.
CREATE TABLE services_tiles (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    icon TEXT NOT NULL,
    title_uk TEXT NOT NULL,
    title_en TEXT,
    description_uk TEXT NOT NULL,
    description_en TEXT,
    url TEXT NOT NULL,
    -- Offered in the chatbot's menu of services too.
    in_bot BOOLEAN NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX services_tiles_order ON services_tiles (community_id, position);

CREATE TABLE services_cameras (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    address TEXT NOT NULL,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    snapshot_url TEXT,
    stream_url TEXT,
    -- online | offline | maintenance
    status TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX services_cameras_order ON services_cameras (community_id, position);
