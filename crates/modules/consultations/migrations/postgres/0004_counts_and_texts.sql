-- Results read from counts kept as responses arrive, not from the responses themselves; and
-- free-text answers kept apart so that moderators can hide them (or approve them first).

-- False for surveys answered before counts were kept: the first reading of their results
-- counts their responses once.
ALTER TABLE surveys ADD COLUMN counted BOOLEAN NOT NULL DEFAULT FALSE;
-- Free-text answers appear in the public results only once a moderator approves them.
ALTER TABLE surveys ADD COLUMN texts_premoderated BOOLEAN NOT NULL DEFAULT FALSE;

-- One count: of a question ('' for the survey's respondents), among a group of respondents
-- ('' everyone, 's:' and a settlement, 'a:' and an age band), of what `slot` says:
-- 'n' respondents or answers, 'o' an option or a point of a scale, 'p' a ranking's points,
-- 'x' a number given, 'd' a day given. Changed in the transaction that stores a response.
-- The slot leads the key: a results page reads the slots after 'd' as one range, and of the
-- days only the first and the last of each question.
CREATE TABLE survey_counts (
    community_id UUID NOT NULL,
    survey_id UUID NOT NULL,
    question TEXT NOT NULL,
    respondent_group TEXT NOT NULL,
    slot TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (community_id, survey_id, slot, question, respondent_group, value),
    FOREIGN KEY (community_id, survey_id) REFERENCES surveys (community_id, id) ON DELETE CASCADE
);

-- Free-text answers (a text question's, an "other: ___"), one per response and question.
-- Nothing here says who wrote them: for anonymous surveys the ids are random, as the
-- responses' are, and only the day is kept.
CREATE TABLE survey_texts (
    community_id UUID NOT NULL,
    survey_id UUID NOT NULL,
    id UUID NOT NULL,
    response_id UUID NOT NULL,
    question TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 'pending', 'published' or 'hidden' (with the moderator's reason).
    status TEXT NOT NULL,
    moderation_note TEXT,
    submitted_on TEXT NOT NULL,
    PRIMARY KEY (community_id, survey_id, id),
    FOREIGN KEY (community_id, survey_id) REFERENCES surveys (community_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX survey_texts_of_response ON survey_texts (community_id, survey_id, response_id, question);
CREATE INDEX survey_texts_listed ON survey_texts (community_id, survey_id, status, question, submitted_on, id);
