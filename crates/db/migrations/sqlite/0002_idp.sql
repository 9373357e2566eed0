-- Internally displaced persons registered in the community (довідка ВПО), as CNAP staff
-- recorded after seeing the certificate: statutes may count them as residents.
ALTER TABLE users ADD COLUMN idp_registered_at TEXT;
ALTER TABLE users ADD COLUMN idp_registered_by BLOB;
