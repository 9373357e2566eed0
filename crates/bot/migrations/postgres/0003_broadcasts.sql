-- Broadcasts: residents subscribe their messenger chat to news and emergency alerts, for the
-- whole community or one settlement; a broadcast queues one message per subscribed chat.

CREATE TABLE bot_subscriptions (
    community_id UUID NOT NULL,
    chat_id UUID NOT NULL,
    -- NULL for the whole community.
    settlement_id UUID,
    news BOOLEAN NOT NULL,
    alerts BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, chat_id),
    FOREIGN KEY (community_id, chat_id) REFERENCES bot_chats (community_id, id) ON DELETE CASCADE
);
CREATE INDEX bot_subscriptions_by_settlement ON bot_subscriptions (community_id, settlement_id);

CREATE TABLE bot_broadcasts (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    -- 'news' or 'alerts'.
    topic TEXT NOT NULL,
    settlement_id UUID,
    body JSONB NOT NULL,
    created_by UUID,
    created_at TIMESTAMPTZ NOT NULL,
    recipients BIGINT NOT NULL,
    PRIMARY KEY (community_id, id)
);

ALTER TABLE bot_outbox ADD COLUMN broadcast_id UUID;
CREATE INDEX bot_outbox_by_broadcast ON bot_outbox (community_id, broadcast_id);
