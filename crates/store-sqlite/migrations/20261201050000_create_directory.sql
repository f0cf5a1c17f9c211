-- The public directory (issue 6). Profiles are public by design, so they are plain.
-- search_rowid is the profile's stable integer key for the FTS5 table: an explicit
-- INTEGER PRIMARY KEY, because VACUUM may renumber an implicit rowid and the index
-- would then point at the wrong profiles.
CREATE TABLE directory_profile (
    search_rowid        INTEGER NOT NULL PRIMARY KEY,
    profile_id          BLOB    NOT NULL UNIQUE,
    practice_id         BLOB    NOT NULL REFERENCES practice (practice_id),
    account_id          BLOB    NOT NULL UNIQUE REFERENCES account (account_id),
    display_name        TEXT    NOT NULL,
    pronouns            TEXT    NOT NULL,
    about               TEXT    NOT NULL,
    first_session       TEXT    NOT NULL,
    -- Lists of vocabulary ids, one per line (ids never contain a line break).
    concerns            TEXT    NOT NULL,
    approaches          TEXT    NOT NULL,
    competences         TEXT    NOT NULL,
    languages           TEXT    NOT NULL,
    degrees             TEXT    NOT NULL,
    in_person           INTEGER NOT NULL CHECK (in_person IN (0, 1)),
    office              TEXT,
    latitude            REAL    CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude           REAL    CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    video               INTEGER NOT NULL CHECK (video IN (0, 1)),
    video_jurisdictions TEXT    NOT NULL,
    fee_low             INTEGER CHECK (fee_low IS NULL OR fee_low >= 0),
    fee_high            INTEGER CHECK (fee_high IS NULL OR fee_high >= 0),
    sliding_scale       INTEGER NOT NULL CHECK (sliding_scale IN (0, 1)),
    insurance           TEXT    NOT NULL,
    accepting           INTEGER NOT NULL CHECK (accepting IN (0, 1)),
    status              TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'held', 'suspended')),
    held_for            TEXT    NOT NULL,
    listed_until        TEXT,
    search_text         TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
) STRICT;

-- Search reads only the columns in these two indexes (a profile row, with its texts,
-- is a hundred times wider), so a search walks a small index, not the table.
CREATE INDEX directory_profile_place ON directory_profile (
    latitude, longitude, status, listed_until, accepting, sliding_scale, in_person, video,
    fee_low, display_name, profile_id
);
CREATE INDEX directory_profile_by_status ON directory_profile (status, updated_at);
-- A search without words pages by name: this index walks listed profiles in that order
-- and stops after a page, instead of sorting every match.
CREATE INDEX directory_profile_by_name ON directory_profile (
    status, display_name, profile_id, listed_until, accepting, sliding_scale, in_person,
    video, fee_low, latitude, longitude
);

-- Every filterable value, one row each (`concern:vaginismus`, `lang:es`,
-- `video:US-IL`, `cert:aasect_cst`); `until` for values that run out.
CREATE TABLE directory_profile_tag (
    tag        TEXT NOT NULL,
    profile_id BLOB NOT NULL REFERENCES directory_profile (profile_id),
    until      TEXT,
    PRIMARY KEY (tag, profile_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX directory_profile_tag_by_profile ON directory_profile_tag (profile_id);

-- The words search reads, already folded by the app (lower case, no accents), kept in
-- step with the profile by the same transaction that saves it. unicode61 keeps letters
-- and digits and splits on everything else, as the app's folding does.
CREATE VIRTUAL TABLE directory_search USING fts5 (
    search_text,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE directory_credential (
    credential_id   BLOB NOT NULL PRIMARY KEY,
    profile_id      BLOB NOT NULL REFERENCES directory_profile (profile_id),
    kind            TEXT NOT NULL CHECK (kind IN ('licence', 'certification')),
    type_id         TEXT NOT NULL,
    number          TEXT NOT NULL,
    jurisdiction    TEXT NOT NULL,
    expires_on      TEXT,
    status          TEXT NOT NULL CHECK (status IN ('submitted', 'verified', 'rejected')),
    -- The document the clinician uploaded (a PDF or an image), sealed under their
    -- practice key, with its media type.
    evidence_sealed BLOB,
    evidence_type   TEXT,
    evidence_note   TEXT NOT NULL,
    submitted_at    TEXT NOT NULL,
    verified_by     BLOB REFERENCES account (account_id),
    decided_on      TEXT,
    verified_until  TEXT,
    checked         TEXT NOT NULL,
    rejected_reason TEXT NOT NULL
) STRICT;

CREATE INDEX directory_credential_by_profile ON directory_credential (profile_id);
CREATE INDEX directory_credential_by_status ON directory_credential (status, submitted_at);

-- A seeker's message to a therapist, sealed under the therapist's practice key.
CREATE TABLE directory_contact_request (
    request_id    BLOB NOT NULL PRIMARY KEY,
    profile_id    BLOB NOT NULL REFERENCES directory_profile (profile_id),
    practice_id   BLOB NOT NULL REFERENCES practice (practice_id),
    account_id    BLOB NOT NULL REFERENCES account (account_id),
    sealed        BLOB NOT NULL,
    -- A keyed digest of the sender's address, for the rate limit only.
    sender_digest BLOB NOT NULL,
    received_at   TEXT NOT NULL,
    read_at       TEXT
) STRICT;

CREATE INDEX directory_contact_by_account ON directory_contact_request (account_id, received_at);
CREATE INDEX directory_contact_by_sender ON directory_contact_request (sender_digest, received_at);
CREATE INDEX directory_contact_by_profile ON directory_contact_request (profile_id, received_at);

-- A concern reported about a therapist, sealed under the installation key (verifiers
-- belong to no practice).
CREATE TABLE directory_concern_report (
    report_id      BLOB NOT NULL PRIMARY KEY,
    profile_id     BLOB NOT NULL REFERENCES directory_profile (profile_id),
    sealed         BLOB NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('new', 'reviewing', 'closed')),
    outcome_sealed BLOB,
    handled_by     BLOB REFERENCES account (account_id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE INDEX directory_concern_report_by_status ON directory_concern_report (status, created_at);
