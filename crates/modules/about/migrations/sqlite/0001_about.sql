-- People residents can reach: the head, deputies, starostas, the CNAP, hotlines.
CREATE TABLE about_contacts (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    role_uk TEXT NOT NULL,
    role_en TEXT,
    phone TEXT,
    email TEXT,
    reception_hours TEXT,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX about_contacts_order ON about_contacts (community_id, position);
