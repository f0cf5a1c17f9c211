-- Accounts, keys, sessions, sign-in throttling and the audit trail (issue 3).
--
-- Nothing here holds a client's details in plain text: names and email addresses are
-- sealed by the application (XChaCha20-Poly1305, bound to table, column and row) before
-- they reach the database, and found again by a keyed digest, never by the plaintext.
-- Tokens (sessions) are stored as SHA-256 digests, so a stolen copy of this database
-- signs nobody in.

-- The installation's own data key, wrapped by the key file. It seals what belongs to no
-- practice (a directory verifier's details) and derives the email lookup key and the
-- audit chain key, which must not change when a practice's key does. Exactly one row.
CREATE TABLE installation_key (
    id          SMALLINT    NOT NULL PRIMARY KEY CHECK (id = 1),
    wrapped_key BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- Each practice's data key, wrapped by the key file (the KEK id is inside the blob).
CREATE TABLE practice_key (
    practice_id UUID  NOT NULL PRIMARY KEY REFERENCES practice (practice_id),
    wrapped_key BYTEA NOT NULL
);

-- Everyone who signs in: owners, clinicians, clients and directory verifiers.
CREATE TABLE account (
    account_id     UUID        NOT NULL PRIMARY KEY,
    -- NULL only for a directory verifier, who belongs to no practice.
    practice_id    UUID        REFERENCES practice (practice_id),
    role           TEXT        NOT NULL CHECK (role IN ('owner', 'clinician', 'client', 'verifier')),
    -- HMAC of the normalised address under the installation's lookup key: addresses are
    -- unique across the installation, because sign-in asks for no practice.
    email_lookup   BYTEA       NOT NULL UNIQUE,
    email_sealed   BYTEA       NOT NULL,
    name_sealed    BYTEA       NOT NULL,
    -- An Argon2id PHC string (salted hash; no secret in it).
    password_hash  TEXT        NOT NULL,
    totp_sealed    BYTEA,
    -- The last TOTP time step used, so a code is never accepted twice (replay guard).
    totp_last_step BIGINT,
    deactivated_at TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    CHECK ((practice_id IS NULL) = (role = 'verifier'))
);

CREATE INDEX account_by_practice ON account (practice_id, created_at);

-- Single-use recovery codes for a lost authenticator: SHA-256 digests only.
CREATE TABLE recovery_code (
    account_id UUID        NOT NULL REFERENCES account (account_id) ON DELETE CASCADE,
    digest     BYTEA       NOT NULL,
    used_at    TIMESTAMPTZ,
    PRIMARY KEY (account_id, digest)
);

-- Server-side sessions, shared by every process behind a load balancer.
CREATE TABLE session (
    -- SHA-256 of the cookie's token; the token itself is never stored.
    token_digest     BYTEA       NOT NULL PRIMARY KEY,
    account_id       UUID        NOT NULL REFERENCES account (account_id) ON DELETE CASCADE,
    created_at       TIMESTAMPTZ NOT NULL,
    last_seen_at     TIMESTAMPTZ NOT NULL,
    -- When this session passed the second factor; NULL while a code is still due.
    second_factor_at TIMESTAMPTZ
);

CREATE INDEX session_by_account ON session (account_id);
CREATE INDEX session_by_creation ON session (created_at);

-- Failed sign-ins per subject (a keyed digest of an account's email or of a network
-- address), counted in the database so every process sees the same counts.
CREATE TABLE sign_in_failure (
    subject          BYTEA       NOT NULL PRIMARY KEY,
    failures         INTEGER     NOT NULL CHECK (failures >= 0),
    first_failure_at TIMESTAMPTZ NOT NULL,
    last_failure_at  TIMESTAMPTZ NOT NULL
);

-- The audit trail (see docs/audit.md). No foreign keys: rows outlive what they name,
-- and must never be deleted or updated. `seq` is assigned by sensate-audit.
CREATE TABLE audit_event (
    seq          BIGINT      NOT NULL PRIMARY KEY,
    recorded_at  TIMESTAMPTZ NOT NULL,
    actor_kind   TEXT        NOT NULL,
    actor_id     UUID,
    practice_id  UUID,
    action       TEXT        NOT NULL,
    object_type  TEXT        NOT NULL,
    object_id    UUID,
    outcome      TEXT        NOT NULL,
    request_id   TEXT,
    prev_hash    BYTEA       NOT NULL,
    hash         BYTEA       NOT NULL
);

-- Where the chain ends, sealed under the audit key, so a cut tail is noticed.
CREATE TABLE audit_head (
    id   SMALLINT NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  BIGINT   NOT NULL,
    hash BYTEA    NOT NULL,
    seal BYTEA    NOT NULL
);

CREATE INDEX audit_by_practice_time ON audit_event (practice_id, recorded_at);
CREATE INDEX audit_by_actor ON audit_event (practice_id, actor_id, recorded_at);
CREATE INDEX audit_by_object ON audit_event (practice_id, object_type, object_id, recorded_at);
CREATE INDEX audit_by_action ON audit_event (practice_id, action, recorded_at);
