-- Password reset links: single use, one hour, stored only as the link token's digest.
CREATE TABLE password_reset (
    token_digest BYTEA       NOT NULL PRIMARY KEY,
    account_id   UUID        NOT NULL REFERENCES account (account_id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);

CREATE INDEX password_reset_by_account ON password_reset (account_id, created_at);
