-- Signatures per petition per hour per client network (/24 or /48): lets moderators see a
-- burst from one place without keeping any signer's own address.
CREATE TABLE petition_sign_networks (
    community_id BLOB NOT NULL,
    petition_id BLOB NOT NULL,
    hour TEXT NOT NULL,
    network TEXT NOT NULL,
    signatures BIGINT NOT NULL,
    PRIMARY KEY (community_id, petition_id, hour, network),
    FOREIGN KEY (community_id, petition_id) REFERENCES petitions (community_id, id) ON DELETE CASCADE
);
CREATE INDEX petition_sign_networks_recent ON petition_sign_networks (community_id, hour);
