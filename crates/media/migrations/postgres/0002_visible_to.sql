-- A private file one more person may see besides its uploader and the officials: the author
-- of an appeal the document answers.
ALTER TABLE media_files ADD COLUMN visible_to UUID;
