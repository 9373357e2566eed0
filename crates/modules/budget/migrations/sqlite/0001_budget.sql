-- Participatory budget: a contest per edition with its regulation and phases, categories with
-- their money and voting rule, projects with their cost breakdown and review, the register of
-- who voted (kept apart from what they chose), the public chain of ballots, and live votes.

CREATE TABLE budget_contests (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    number BIGINT NOT NULL,
    title TEXT NOT NULL,
    title_en TEXT,
    description TEXT NOT NULL,
    total_budget BIGINT NOT NULL,
    submission_from TEXT NOT NULL,
    submission_to TEXT NOT NULL,
    review_to TEXT NOT NULL,
    revision_to TEXT NOT NULL,
    voting_to TEXT NOT NULL,
    results_to TEXT NOT NULL,
    rules TEXT NOT NULL,
    ballot_count BIGINT NOT NULL,
    chain_length BIGINT NOT NULL,
    chain_head BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE UNIQUE INDEX budget_contests_number ON budget_contests (community_id, number);

CREATE TABLE budget_categories (
    community_id BLOB NOT NULL,
    id BLOB NOT NULL,
    contest_id BLOB NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT,
    budget BIGINT NOT NULL,
    min_cost BIGINT NOT NULL,
    max_cost BIGINT NOT NULL,
    rule TEXT NOT NULL,
    up_to BIGINT NOT NULL,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, contest_id) REFERENCES budget_contests (community_id, id) ON DELETE CASCADE
);
CREATE INDEX budget_categories_contest ON budget_categories (community_id, contest_id, position);

CREATE TABLE budget_projects (
    community_id BLOB NOT NULL,
    id BLOB NOT NULL,
    contest_id BLOB NOT NULL,
    number BIGINT NOT NULL,
    category_id BLOB NOT NULL,
    -- No foreign key: a project outlives its author's account.
    author_id BLOB NOT NULL,
    author_name TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    address TEXT NOT NULL,
    lat DOUBLE,
    lon DOUBLE,
    status TEXT NOT NULL,
    -- The cost as the author claimed it and as the commission corrected it (kopiykas).
    cost_claimed BIGINT NOT NULL,
    cost BIGINT NOT NULL,
    items TEXT NOT NULL,
    checklist TEXT NOT NULL,
    rejection_reason TEXT,
    review_note TEXT NOT NULL,
    revise_by TEXT,
    created_at TEXT NOT NULL,
    submitted_at TEXT,
    reviewed_at TEXT,
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, contest_id) REFERENCES budget_contests (community_id, id) ON DELETE CASCADE,
    FOREIGN KEY (community_id, category_id) REFERENCES budget_categories (community_id, id)
);
CREATE UNIQUE INDEX budget_projects_number ON budget_projects (community_id, number);
CREATE INDEX budget_projects_contest ON budget_projects (community_id, contest_id, status, number);

CREATE TABLE budget_project_events (
    community_id BLOB NOT NULL,
    project_id BLOB NOT NULL,
    id BLOB NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    actor_id BLOB,
    note TEXT NOT NULL,
    PRIMARY KEY (community_id, project_id, id),
    FOREIGN KEY (community_id, project_id) REFERENCES budget_projects (community_id, id) ON DELETE CASCADE
);

-- Who voted, and how (web or paper), by day: no time and no link to the ballot, so that
-- the register cannot be lined up with the order of the public ballots.
CREATE TABLE budget_voters (
    community_id BLOB NOT NULL,
    contest_id BLOB NOT NULL,
    voter_key BLOB NOT NULL,
    voted_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    PRIMARY KEY (community_id, contest_id, voter_key)
) WITHOUT ROWID;

-- The public chain of ballots. `slot` is an HMAC of the voter under the installation secret,
-- so a changeable ballot can be found and replaced while the database alone names nobody.
CREATE TABLE budget_ballots (
    community_id BLOB NOT NULL,
    contest_id BLOB NOT NULL,
    seq BIGINT NOT NULL,
    slot BLOB NOT NULL,
    choices TEXT NOT NULL,
    -- The same projects by id, in the same order: replacing a ballot deletes its votes by key.
    project_ids TEXT NOT NULL,
    supersedes BIGINT,
    live BOOLEAN NOT NULL,
    paper BOOLEAN NOT NULL,
    commitment BLOB NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (community_id, contest_id, seq)
);
CREATE UNIQUE INDEX budget_ballots_live_slot ON budget_ballots (community_id, contest_id, slot) WHERE live;

-- One row per project chosen on a live ballot: the tally counts these, grouped by project.
CREATE TABLE budget_votes (
    community_id BLOB NOT NULL,
    contest_id BLOB NOT NULL,
    project_id BLOB NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (community_id, contest_id, project_id, seq)
) WITHOUT ROWID;
