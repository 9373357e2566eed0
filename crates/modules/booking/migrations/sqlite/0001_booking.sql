-- Booking: what residents book a time with (a CNAP window or service group, a doctor), its
-- weekly hours and the days that differ, and the visits. No slot is ever booked twice: the
-- database refuses a second live visit at the same resource and time.

CREATE TABLE booking_resources (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- cnap | doctor
    kind TEXT NOT NULL,
    name_uk TEXT NOT NULL,
    name_en TEXT,
    -- A doctor's specialty; empty for the CNAP.
    specialty TEXT NOT NULL,
    -- The clinic or office, and its address.
    place TEXT NOT NULL,
    address TEXT NOT NULL,
    -- The CNAP catalogue card this is for, by its public number (no foreign key: another module).
    service_number BIGINT,
    slot_minutes BIGINT NOT NULL,
    horizon_days BIGINT NOT NULL,
    cancel_before_minutes BIGINT NOT NULL,
    -- Opening hours per weekday, Monday first (JSON list of lists of {start, end} minutes).
    week TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX booking_resources_order ON booking_resources (community_id, position);

-- A day whose hours differ from the week: shorter, longer, or closed (no intervals).
CREATE TABLE booking_exceptions (
    community_id BLOB NOT NULL,
    resource_id BLOB NOT NULL,
    day TEXT NOT NULL,
    hours TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (community_id, resource_id, day),
    FOREIGN KEY (community_id, resource_id) REFERENCES booking_resources (community_id, id) ON DELETE CASCADE
);

CREATE TABLE booking_visits (
    community_id BLOB NOT NULL,
    id BLOB NOT NULL,
    resource_id BLOB NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    -- The resident's account; none for a walk-in.
    user_id BLOB,
    name TEXT NOT NULL,
    phone TEXT,
    -- What the resident shows at the counter.
    code TEXT NOT NULL,
    -- booked | arrived | served | no_show | cancelled
    status TEXT NOT NULL,
    walk_in BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    status_at TEXT NOT NULL,
    reminded_at TEXT,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, resource_id) REFERENCES booking_resources (community_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX booking_visits_starts_at ON booking_visits (community_id, resource_id, starts_at) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX booking_visits_code ON booking_visits (community_id, code);
CREATE INDEX booking_visits_by_user ON booking_visits (community_id, user_id, starts_at);
-- The reminder job looks across communities for tomorrow's visits not yet reminded.
CREATE INDEX booking_visits_to_remind ON booking_visits (starts_at) WHERE status = 'booked' AND reminded_at IS NULL;
