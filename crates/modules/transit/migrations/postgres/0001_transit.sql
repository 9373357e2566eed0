-- SMART stops: each community's GTFS timetable as it was uploaded (one at a time: a new import
-- replaces it in one statement), with the import's report, and the latest GTFS-Realtime message.
-- App nodes read the archive into memory once per import.

CREATE TABLE transit_feeds (
    community_id UUID NOT NULL PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
    -- New with every import; nodes reload when it changes.
    id UUID NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL,
    archive BYTEA NOT NULL,
    report JSONB NOT NULL,
    stops BIGINT NOT NULL,
    routes BIGINT NOT NULL,
    trips BIGINT NOT NULL,
    stop_times BIGINT NOT NULL
);

CREATE TABLE transit_realtime (
    community_id UUID NOT NULL PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
    fetched_at TIMESTAMPTZ NOT NULL,
    message BYTEA NOT NULL
);
