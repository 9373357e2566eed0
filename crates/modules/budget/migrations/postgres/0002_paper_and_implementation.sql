-- Paper ballots of people already in the register wait here for the officials' decision;
-- winning projects get an implementation status and dated progress updates.

CREATE TABLE budget_paper_conflicts (
    community_id UUID NOT NULL,
    contest_id UUID NOT NULL,
    id UUID NOT NULL,
    voter_key BYTEA NOT NULL,
    full_name TEXT NOT NULL,
    choices TEXT NOT NULL,
    project_ids TEXT NOT NULL,
    entered_by UUID NOT NULL,
    entered_at DATE NOT NULL,
    -- open, kept (the ballot already counted stays), counted (this paper ballot replaced it)
    status TEXT NOT NULL,
    PRIMARY KEY (community_id, contest_id, id),
    FOREIGN KEY (community_id, contest_id) REFERENCES budget_contests (community_id, id) ON DELETE CASCADE
);

ALTER TABLE budget_projects ADD COLUMN progress_status TEXT NOT NULL DEFAULT 'planned';
ALTER TABLE budget_projects ADD COLUMN progress_percent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE budget_projects ADD COLUMN spent BIGINT NOT NULL DEFAULT 0;

CREATE TABLE budget_progress (
    community_id UUID NOT NULL,
    project_id UUID NOT NULL,
    id UUID NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    percent BIGINT NOT NULL,
    spent BIGINT NOT NULL,
    note TEXT NOT NULL,
    photo TEXT,
    author_id UUID,
    PRIMARY KEY (community_id, project_id, id),
    FOREIGN KEY (community_id, project_id) REFERENCES budget_projects (community_id, id) ON DELETE CASCADE
);
