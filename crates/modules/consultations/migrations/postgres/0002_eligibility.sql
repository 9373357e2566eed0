-- Who may answer a survey, besides the identity level: a minimum age, and residents only
-- (with or without internally displaced persons registered in the community).
ALTER TABLE surveys ADD COLUMN min_age BIGINT NOT NULL DEFAULT 0;
ALTER TABLE surveys ADD COLUMN residents_only BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE surveys ADD COLUMN accept_idp BOOLEAN NOT NULL DEFAULT TRUE;
