-- What the web form, the officials' inbox and the reminders need beyond the appeal itself.

-- The topic the author chose, for the inbox's filters and the routing to a department.
ALTER TABLE appeals ADD COLUMN category TEXT NOT NULL DEFAULT 'other';
-- The form's one-time key: sending the same form twice (a double click, a retry after a
-- lost answer) registers one appeal, not two.
ALTER TABLE appeals ADD COLUMN submission_key TEXT;
CREATE UNIQUE INDEX appeals_submission ON appeals (community_id, author_id, submission_key);
-- A petition that fell short and its author passed on becomes one appeal, once.
ALTER TABLE appeals ADD COLUMN from_petition BLOB;
CREATE UNIQUE INDEX appeals_from_petition ON appeals (community_id, from_petition);
CREATE INDEX appeals_by_department ON appeals (community_id, department_id, received_on);

-- Reminders and escalations sent, one per appeal, kind and due date, even with several
-- app nodes running the job.
CREATE TABLE appeal_reminders (
    community_id BLOB NOT NULL,
    appeal_id BLOB NOT NULL,
    kind TEXT NOT NULL,
    due_on TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (community_id, appeal_id, kind, due_on),
    FOREIGN KEY (community_id, appeal_id) REFERENCES appeals (community_id, id) ON DELETE CASCADE
);

-- Answer templates officials start from.
CREATE TABLE appeal_templates (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);
