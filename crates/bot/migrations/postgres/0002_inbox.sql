-- The officials' inbox: conversations residents open with "talk to an official", and the
-- answers operators keep at hand.

CREATE TABLE bot_conversations (
    community_id UUID NOT NULL,
    id UUID NOT NULL,
    chat_id UUID NOT NULL,
    -- 'waiting' (nobody has taken it), 'taken' or 'closed'.
    status TEXT NOT NULL,
    taken_by UUID,
    opened_at TIMESTAMPTZ NOT NULL,
    last_message_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, chat_id) REFERENCES bot_chats (community_id, id) ON DELETE CASCADE
);
CREATE INDEX bot_conversations_by_status ON bot_conversations (community_id, status, last_message_at);
-- A chat has at most one open conversation, however many messages arrive at once.
CREATE UNIQUE INDEX bot_conversations_one_open ON bot_conversations (community_id, chat_id) WHERE status <> 'closed';

CREATE TABLE bot_canned_answers (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, id)
);
