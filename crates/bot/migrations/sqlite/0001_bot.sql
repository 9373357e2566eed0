-- The community's chatbot: its channels, the chats residents have with it, what it was sent
-- (once per update), the conversation as both sides wrote it, and what waits to be delivered.

-- A messenger bot of the community. `hook` is the secret part of the webhook path and
-- `secret` what the channel signs or stamps each call with.
CREATE TABLE bot_channels (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    -- 'telegram' or 'viber'.
    channel TEXT NOT NULL,
    token TEXT NOT NULL,
    hook TEXT NOT NULL,
    secret TEXT NOT NULL,
    -- The bot's public name, for deep links (t.me/NAME, viber://pa?chatURI=NAME).
    username TEXT NOT NULL,
    -- Where the channel's API is; tests point it at a local fake.
    api_base TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    PRIMARY KEY (community_id, channel)
);
CREATE UNIQUE INDEX bot_channels_by_hook ON bot_channels (hook);

CREATE TABLE bot_chats (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- 'telegram', 'viber' or 'web'.
    channel TEXT NOT NULL,
    -- The channel's id of the chat; for the web chat, a hash of the browser's chat cookie.
    external_id TEXT NOT NULL,
    user_id BLOB,
    lang TEXT NOT NULL,
    -- The module whose flow waits for the next message, and what it remembers.
    flow TEXT,
    memory TEXT NOT NULL,
    -- Free text goes to the officials' inbox.
    with_official BOOLEAN NOT NULL,
    -- False once the resident blocked the bot: nothing more is sent.
    active BOOLEAN NOT NULL,
    messages BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX bot_chats_by_channel ON bot_chats (community_id, channel, external_id);
CREATE INDEX bot_chats_by_user ON bot_chats (community_id, user_id);

-- Updates already handled, so that a channel's retry is handled once.
CREATE TABLE bot_updates (
    community_id BLOB NOT NULL,
    channel TEXT NOT NULL,
    update_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (community_id, channel, update_id)
) WITHOUT ROWID;
CREATE INDEX bot_updates_by_age ON bot_updates (received_at);

-- The conversation, both ways, numbered per chat.
CREATE TABLE bot_messages (
    community_id BLOB NOT NULL,
    chat_id BLOB NOT NULL,
    seq BIGINT NOT NULL,
    -- True for what the resident sent.
    inbound BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (community_id, chat_id, seq),
    FOREIGN KEY (community_id, chat_id) REFERENCES bot_chats (community_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Replies and notices waiting to be sent to a messenger. A node takes rows by setting a lease;
-- a row is deleted once delivered.
CREATE TABLE bot_outbox (
    community_id BLOB NOT NULL,
    id BLOB NOT NULL,
    chat_id BLOB NOT NULL,
    -- Copied from the chat so that delivery needs no join.
    channel TEXT NOT NULL,
    external_id TEXT NOT NULL,
    body TEXT NOT NULL,
    due_at TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, chat_id) REFERENCES bot_chats (community_id, id) ON DELETE CASCADE
);
CREATE INDEX bot_outbox_due ON bot_outbox (due_at);

-- One-time codes that link a messenger chat to the account that asked for them on the web.
CREATE TABLE bot_links (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL,
    user_id BLOB NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (community_id, token_hash)
);

-- Delivery figures per community, channel and day.
CREATE TABLE bot_delivery_stats (
    community_id BLOB NOT NULL,
    channel TEXT NOT NULL,
    day TEXT NOT NULL,
    sent BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    throttled BIGINT NOT NULL,
    PRIMARY KEY (community_id, channel, day)
);
