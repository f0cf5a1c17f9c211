-- Password reset links: single use, one hour, stored only as the link token's digest.
CREATE TABLE password_reset (
    token_digest BLOB NOT NULL PRIMARY KEY,
    account_id   BLOB NOT NULL REFERENCES account (account_id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
) STRICT;

CREATE INDEX password_reset_by_account ON password_reset (account_id, created_at);
