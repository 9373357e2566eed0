-- The optional support stage: residents back a submitted project before the commission reviews
-- it; one support per person per project, counted on the project in the same transaction.

CREATE TABLE budget_supports (
    community_id BLOB NOT NULL,
    project_id BLOB NOT NULL,
    voter_key BLOB NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (community_id, project_id, voter_key),
    FOREIGN KEY (community_id, project_id) REFERENCES budget_projects (community_id, id) ON DELETE CASCADE
);

ALTER TABLE budget_projects ADD COLUMN supports BIGINT NOT NULL DEFAULT 0;
