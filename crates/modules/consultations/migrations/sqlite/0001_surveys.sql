-- Surveys and quick polls: the questions as data, the dates they are open, and how answers are
-- kept. One response per person, enforced here.

CREATE TABLE surveys (
    community_id BLOB NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
    id BLOB NOT NULL,
    -- 'survey' or 'poll' (one question, shown on the home page and in the bot).
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    definition TEXT NOT NULL,
    opens_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    -- A response may be changed until the survey closes (never for anonymous ones).
    editable BOOLEAN NOT NULL,
    -- Who answered is kept apart from what they answered.
    anonymous BOOLEAN NOT NULL,
    -- Results are shown only once the survey has closed (otherwise to those who answered).
    results_after_close BOOLEAN NOT NULL,
    created_by BLOB,
    created_at TEXT NOT NULL,
    PRIMARY KEY (community_id, id)
);
CREATE INDEX surveys_by_dates ON surveys (community_id, closes_at);

-- Answers. For a named survey `respondent_key` is the person (or account) and unique per
-- survey; for an anonymous one it is empty and the response's id random, so that nothing but
-- the group fields ties it to anyone.
CREATE TABLE survey_responses (
    community_id BLOB NOT NULL,
    survey_id BLOB NOT NULL,
    id BLOB NOT NULL,
    respondent_key BLOB,
    answers TEXT NOT NULL,
    -- For breakdowns: the settlement's name and an age band, never an exact age.
    settlement TEXT NOT NULL,
    age_band TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    PRIMARY KEY (community_id, survey_id, id),
    FOREIGN KEY (community_id, survey_id) REFERENCES surveys (community_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE UNIQUE INDEX survey_responses_one_each ON survey_responses (community_id, survey_id, respondent_key);

-- Who has answered an anonymous survey; stored in key order, not in the order they answered.
CREATE TABLE survey_respondents (
    community_id BLOB NOT NULL,
    survey_id BLOB NOT NULL,
    respondent_key BLOB NOT NULL,
    PRIMARY KEY (community_id, survey_id, respondent_key),
    FOREIGN KEY (community_id, survey_id) REFERENCES surveys (community_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
