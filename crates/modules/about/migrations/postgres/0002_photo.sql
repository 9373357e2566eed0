-- A portrait for the officials directory, from the shared uploads.
ALTER TABLE about_contacts ADD COLUMN photo UUID;
