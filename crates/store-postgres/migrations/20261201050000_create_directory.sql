-- The public directory (issue 6). Profiles are public by design, so they are plain.
CREATE TABLE directory_profile (
    profile_id          UUID        NOT NULL PRIMARY KEY,
    practice_id         UUID        NOT NULL REFERENCES practice (practice_id),
    account_id          UUID        NOT NULL UNIQUE REFERENCES account (account_id),
    display_name        TEXT        NOT NULL,
    pronouns            TEXT        NOT NULL,
    about               TEXT        NOT NULL,
    first_session       TEXT        NOT NULL,
    -- Lists of vocabulary ids, one per line (ids never contain a line break).
    concerns            TEXT        NOT NULL,
    approaches          TEXT        NOT NULL,
    competences         TEXT        NOT NULL,
    languages           TEXT        NOT NULL,
    degrees             TEXT        NOT NULL,
    in_person           BOOLEAN     NOT NULL,
    office              TEXT,
    latitude            DOUBLE PRECISION CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude           DOUBLE PRECISION CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    video               BOOLEAN     NOT NULL,
    video_jurisdictions TEXT        NOT NULL,
    fee_low             BIGINT      CHECK (fee_low IS NULL OR fee_low >= 0),
    fee_high            BIGINT      CHECK (fee_high IS NULL OR fee_high >= 0),
    sliding_scale       BOOLEAN     NOT NULL,
    insurance           TEXT        NOT NULL,
    accepting           BOOLEAN     NOT NULL,
    status              TEXT        NOT NULL CHECK (status IN ('draft', 'published', 'held', 'suspended')),
    held_for            TEXT        NOT NULL,
    listed_until        DATE,
    search_text         TEXT        NOT NULL,
    -- The 'simple' configuration: no stemming or stop words, so both backends match
    -- the same folded words (the app folds case and accents before storing).
    search_vector       TSVECTOR    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
    updated_at          TIMESTAMPTZ NOT NULL
);

-- Search reads only the columns in these indexes (a profile row, with its texts, is a
-- hundred times wider), so it can be answered from the index alone.
CREATE INDEX directory_profile_place ON directory_profile (latitude, longitude)
    INCLUDE (status, listed_until, accepting, sliding_scale, in_person, video, fee_low,
             display_name, profile_id);
CREATE INDEX directory_profile_by_status ON directory_profile (status, updated_at);
-- A search without words pages by name: this index walks listed profiles in that order
-- and stops after a page, instead of sorting every match.
CREATE INDEX directory_profile_by_name ON directory_profile (status, display_name, profile_id)
    INCLUDE (listed_until, accepting, sliding_scale, in_person, video, fee_low, latitude,
             longitude);
CREATE INDEX directory_profile_search ON directory_profile USING GIN (search_vector);

-- Every filterable value, one row each (`concern:vaginismus`, `lang:es`,
-- `video:US-IL`, `cert:aasect_cst`); `until` for values that run out.
CREATE TABLE directory_profile_tag (
    tag        TEXT NOT NULL,
    profile_id UUID NOT NULL REFERENCES directory_profile (profile_id),
    until      DATE,
    PRIMARY KEY (tag, profile_id)
);

CREATE INDEX directory_profile_tag_by_profile ON directory_profile_tag (profile_id);

CREATE TABLE directory_credential (
    credential_id   UUID        NOT NULL PRIMARY KEY,
    profile_id      UUID        NOT NULL REFERENCES directory_profile (profile_id),
    kind            TEXT        NOT NULL CHECK (kind IN ('licence', 'certification')),
    type_id         TEXT        NOT NULL,
    number          TEXT        NOT NULL,
    jurisdiction    TEXT        NOT NULL,
    expires_on      DATE,
    status          TEXT        NOT NULL CHECK (status IN ('submitted', 'verified', 'rejected')),
    -- The document the clinician uploaded (a PDF or an image), sealed under their
    -- practice key, with its media type.
    evidence_sealed BYTEA,
    evidence_type   TEXT,
    evidence_note   TEXT        NOT NULL,
    submitted_at    TIMESTAMPTZ NOT NULL,
    verified_by     UUID        REFERENCES account (account_id),
    decided_on      DATE,
    verified_until  DATE,
    checked         TEXT        NOT NULL,
    rejected_reason TEXT        NOT NULL
);

CREATE INDEX directory_credential_by_profile ON directory_credential (profile_id);
CREATE INDEX directory_credential_by_status ON directory_credential (status, submitted_at);

-- A seeker's message to a therapist, sealed under the therapist's practice key.
CREATE TABLE directory_contact_request (
    request_id    UUID        NOT NULL PRIMARY KEY,
    profile_id    UUID        NOT NULL REFERENCES directory_profile (profile_id),
    practice_id   UUID        NOT NULL REFERENCES practice (practice_id),
    account_id    UUID        NOT NULL REFERENCES account (account_id),
    sealed        BYTEA       NOT NULL,
    -- A keyed digest of the sender's address, for the rate limit only.
    sender_digest BYTEA       NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL,
    read_at       TIMESTAMPTZ
);

CREATE INDEX directory_contact_by_account ON directory_contact_request (account_id, received_at);
CREATE INDEX directory_contact_by_sender ON directory_contact_request (sender_digest, received_at);
CREATE INDEX directory_contact_by_profile ON directory_contact_request (profile_id, received_at);

-- A concern reported about a therapist, sealed under the installation key (verifiers
-- belong to no practice).
CREATE TABLE directory_concern_report (
    report_id      UUID        NOT NULL PRIMARY KEY,
    profile_id     UUID        NOT NULL REFERENCES directory_profile (profile_id),
    sealed         BYTEA       NOT NULL,
    status         TEXT        NOT NULL CHECK (status IN ('new', 'reviewing', 'closed')),
    outcome_sealed BYTEA,
    handled_by     UUID        REFERENCES account (account_id),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);

CREATE INDEX directory_concern_report_by_status ON directory_concern_report (status, created_at);
