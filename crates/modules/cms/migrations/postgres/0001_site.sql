-- The site constructor: pages built from blocks with their revisions, news, documents.

-- A page keeps its working draft, what residents see (`live`), and content scheduled to go
-- live at a set time. Contents are JSON: {"title_uk", "title_en", "summary_uk", "summary_en", "blocks": [...]}.
CREATE TABLE cms_pages (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    slug TEXT NOT NULL,
    -- 1 for the community's home page; at most one.
    home BIGINT NOT NULL DEFAULT 0,
    draft JSONB NOT NULL,
    -- Raised by every change of the draft, so that two editors never overwrite each other.
    draft_version BIGINT NOT NULL,
    live JSONB,
    published_at TIMESTAMPTZ,
    scheduled JSONB,
    scheduled_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX cms_pages_slug ON cms_pages (community_id, slug);
CREATE UNIQUE INDEX cms_pages_home ON cms_pages (community_id) WHERE home = 1;

-- Every version of every page: each change of the draft, each publication, each restore.
CREATE TABLE cms_page_revisions (
    community_id UUID NOT NULL,
    page_id UUID NOT NULL,
    version BIGINT NOT NULL,
    content JSONB NOT NULL,
    -- 'edit', 'publish', 'schedule', 'restore'.
    action TEXT NOT NULL,
    author_id UUID,
    author_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, page_id, version),
    FOREIGN KEY (community_id, page_id) REFERENCES cms_pages (community_id, id) ON DELETE CASCADE
);

CREATE TABLE cms_news (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    -- The address: /news/{number}.
    number BIGINT NOT NULL,
    title_uk TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_uk TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    body_uk TEXT NOT NULL,
    body_en TEXT NOT NULL,
    category TEXT NOT NULL,
    -- Comma-separated.
    tags TEXT NOT NULL,
    cover UUID,
    pinned BIGINT NOT NULL DEFAULT 0,
    -- JSON array of settlement ids the news is for; empty for the whole community.
    settlements JSONB NOT NULL,
    -- 'draft' or 'published'; a published item with a future time is scheduled.
    status TEXT NOT NULL,
    published_at TIMESTAMPTZ,
    -- When the chatbot's subscribers were told; once only.
    announced_at TIMESTAMPTZ,
    folded TEXT NOT NULL,
    created_by UUID,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX cms_news_number ON cms_news (community_id, number);
CREATE INDEX cms_news_feed ON cms_news (community_id, status, published_at);

CREATE TABLE cms_documents (
    community_id UUID NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id UUID NOT NULL,
    -- The address: /documents/{number}.
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    -- The act's own number and date, e.g. "№ 1234-VIII" of 2026-03-12.
    act_number TEXT NOT NULL,
    act_date DATE,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    file UUID,
    published BIGINT NOT NULL DEFAULT 1,
    folded TEXT NOT NULL,
    created_by UUID,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX cms_documents_number ON cms_documents (community_id, number);
CREATE INDEX cms_documents_list ON cms_documents (community_id, act_date);
