-- Broadcasts: residents subscribe their messenger chat to news and emergency alerts, for the
-- whole community or one settlement; a broadcast queues one message per subscribed chat.

CREATE TABLE bot_subscriptions (
    community_id BLOB NOT NULL,
    chat_id BLOB NOT NULL,
    -- NULL for the whole community.
    settlement_id BLOB,
    news BOOLEAN NOT NULL,
    alerts BOOLEAN NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (community_id, chat_id),
    FOREIGN KEY (community_id, chat_id) REFERENCES bot_chats (community_id, id) ON DELETE CASCADE
);
CREATE INDEX bot_subscriptions_by_settlement ON bot_subscriptions (community_id, settlement_id);

CREATE TABLE bot_broadcasts (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- 'news' or 'alerts'.
    topic TEXT NOT NULL,
    settlement_id BLOB,
    body TEXT NOT NULL,
    created_by BLOB,
    created_at TEXT NOT NULL,
    recipients BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);

ALTER TABLE bot_outbox ADD COLUMN broadcast_id BLOB;
CREATE INDEX bot_outbox_by_broadcast ON bot_outbox (community_id, broadcast_id);
