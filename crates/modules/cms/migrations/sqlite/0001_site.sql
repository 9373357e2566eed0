-- The site constructor: pages built from blocks with their revisions, news, documents.

-- A page keeps its working draft, what residents see (`live`), and content scheduled to go
-- live at a set time. Contents are JSON: {"title_uk", "title_en", "summary_uk", "summary_en", "blocks": [...]}.
CREATE TABLE cms_pages (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    slug TEXT NOT NULL,
    -- 1 for the community's home page; at most one.
    home BIGINT NOT NULL DEFAULT 0,
    draft TEXT NOT NULL,
    -- Raised by every change of the draft, so that two editors never overwrite each other.
    draft_version BIGINT NOT NULL,
    live TEXT,
    published_at TEXT,
    scheduled TEXT,
    scheduled_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX cms_pages_slug ON cms_pages (community_id, slug);
CREATE UNIQUE INDEX cms_pages_home ON cms_pages (community_id) WHERE home = 1;

-- Every version of every page: each change of the draft, each publication, each restore.
CREATE TABLE cms_page_revisions (
    community_id BLOB NOT NULL,
    page_id BLOB NOT NULL,
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    -- 'edit', 'publish', 'schedule', 'restore'.
    action TEXT NOT NULL,
    author_id BLOB,
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (community_id, page_id, version),
    FOREIGN KEY (community_id, page_id) REFERENCES cms_pages (community_id, id) ON DELETE CASCADE
);

CREATE TABLE cms_news (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
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
    cover BLOB,
    pinned BIGINT NOT NULL DEFAULT 0,
    -- JSON array of settlement ids the news is for; empty for the whole community.
    settlements TEXT NOT NULL,
    -- 'draft' or 'published'; a published item with a future time is scheduled.
    status TEXT NOT NULL,
    published_at TEXT,
    -- When the chatbot's subscribers were told; once only.
    announced_at TEXT,
    folded TEXT NOT NULL,
    created_by BLOB,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX cms_news_number ON cms_news (community_id, number);
CREATE INDEX cms_news_feed ON cms_news (community_id, status, published_at);

CREATE TABLE cms_documents (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- The address: /documents/{number}.
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    -- The act's own number and date, e.g. "№ 1234-VIII" of 2026-03-12.
    act_number TEXT NOT NULL,
    act_date TEXT,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    file BLOB,
    published BIGINT NOT NULL DEFAULT 1,
    folded TEXT NOT NULL,
    created_by BLOB,
    created_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX cms_documents_number ON cms_documents (community_id, number);
CREATE INDEX cms_documents_list ON cms_documents (community_id, act_date);
