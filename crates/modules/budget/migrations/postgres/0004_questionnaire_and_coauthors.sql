-- Answers to the contest's own questionnaire, and a project's co-authors (accounts of the
-- community who may edit and submit it with the author).

ALTER TABLE budget_projects ADD COLUMN answers JSONB NOT NULL DEFAULT '{}';

CREATE TABLE budget_coauthors (
    community_id UUID NOT NULL,
    project_id UUID NOT NULL,
    user_id UUID NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (community_id, project_id, user_id),
    FOREIGN KEY (community_id, project_id) REFERENCES budget_projects (community_id, id) ON DELETE CASCADE
);
CREATE INDEX budget_coauthors_user ON budget_coauthors (community_id, user_id);
