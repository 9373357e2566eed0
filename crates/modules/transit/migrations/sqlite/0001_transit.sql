-- SMART stops: each community's GTFS timetable as it was uploaded (one at a time: a new import
-- replaces it in one statement), with the import's report, and the latest GTFS-Realtime message.
-- App nodes read the archive into memory once per import.

CREATE TABLE transit_feeds (
    community_id BLOB NOT NULL PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
    -- New with every import; nodes reload when it changes.
    id BLOB NOT NULL,
    imported_at TEXT NOT NULL,
    archive BLOB NOT NULL,
    report TEXT NOT NULL,
    stops BIGINT NOT NULL,
    routes BIGINT NOT NULL,
    trips BIGINT NOT NULL,
    stop_times BIGINT NOT NULL
);

CREATE TABLE transit_realtime (
    community_id BLOB NOT NULL PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
    fetched_at TEXT NOT NULL,
    message BLOB NOT NULL
);
