-- Consultations on draft decisions: the draft act in sections, residents' comments on a
-- section (one level of replies), support and opposition, moderation, the officials' replies
-- and, for each proposal, the organiser's decision for the report.

CREATE TABLE consultation_drafts (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    title JSONB NOT NULL,
    summary TEXT NOT NULL,
    -- [{"title": …, "text": …}], the act's sections in order.
    sections JSONB NOT NULL,
    opens_at TIMESTAMPTZ NOT NULL,
    closes_at TIMESTAMPTZ NOT NULL,
    report_published_at TIMESTAMPTZ,
    created_by UUID,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, id)
);

CREATE TABLE consultation_comments (
    community_id UUID NOT NULL,
    draft_id UUID NOT NULL,
    id UUID NOT NULL,
    section BIGINT NOT NULL,
    -- A reply points at a top-level comment; replies are not replied to.
    parent_id UUID,
    author_id UUID NOT NULL,
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 'pending', 'published' or 'hidden' (with the moderator's reason).
    status TEXT NOT NULL,
    moderation_note TEXT,
    official_reply TEXT,
    replied_by UUID,
    -- For the report: 'accepted', 'partly' or 'rejected', with the reason.
    decision TEXT,
    decision_reason TEXT,
    supports BIGINT NOT NULL,
    opposes BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, draft_id, id),
    FOREIGN KEY (community_id, draft_id) REFERENCES consultation_drafts (community_id, id) ON DELETE CASCADE
);
CREATE INDEX consultation_comments_by_section ON consultation_comments (community_id, draft_id, section, created_at);

-- One stance per person per comment.
CREATE TABLE consultation_stances (
    community_id UUID NOT NULL,
    draft_id UUID NOT NULL,
    comment_id UUID NOT NULL,
    person_key BYTEA NOT NULL,
    support BOOLEAN NOT NULL,
    PRIMARY KEY (community_id, draft_id, comment_id, person_key),
    FOREIGN KEY (community_id, draft_id, comment_id) REFERENCES consultation_comments (community_id, draft_id, id) ON DELETE CASCADE
);
