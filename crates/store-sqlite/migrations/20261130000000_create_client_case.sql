-- Clients and cases (issue 4).
--
-- A client's record is the person in care, whether or not they ever sign in to the
-- portal; a portal account points at its record. A couple case links two records and
-- never merges them (security notes §5.1). Every detail that identifies a client is
-- sealed by the application and bound to its table, column and row. A case's kind,
-- secrets policy and dates are plain: the caseload filters on them, and they say
-- nothing about who anyone is.
CREATE TABLE client (
    client_id            BLOB NOT NULL PRIMARY KEY,
    practice_id          BLOB NOT NULL REFERENCES practice (practice_id),
    name_sealed          BLOB NOT NULL,
    pronouns_sealed      BLOB,
    date_of_birth_sealed BLOB,
    email_sealed         BLOB,
    phone_sealed         BLOB,
    created_at           TEXT NOT NULL
) STRICT;

CREATE INDEX client_by_practice ON client (practice_id, created_at);

-- The record a client's portal account belongs to; NULL for staff and verifiers.
ALTER TABLE account ADD COLUMN client_id BLOB REFERENCES client (client_id);
CREATE UNIQUE INDEX account_by_client ON account (client_id) WHERE client_id IS NOT NULL;

CREATE TABLE client_case (
    case_id        BLOB NOT NULL PRIMARY KEY,
    practice_id    BLOB NOT NULL REFERENCES practice (practice_id),
    kind           TEXT NOT NULL CHECK (kind IN ('individual', 'couple', 'group')),
    -- Only a couple case has one, and it must (AAMFT 2.2: chosen at the start).
    secrets_policy TEXT CHECK (secrets_policy IN ('no_secrets', 'limited_secrets', 'accommodation')),
    clinician_id   BLOB NOT NULL REFERENCES account (account_id),
    opened_at      TEXT NOT NULL,
    closed_at      TEXT,
    CHECK ((kind = 'couple') = (secrets_policy IS NOT NULL))
) STRICT;

CREATE INDEX case_by_practice ON client_case (practice_id, opened_at);
CREATE INDEX case_by_clinician ON client_case (clinician_id);

-- The clients of a case, in the order the clinician listed them.
CREATE TABLE case_client (
    case_id   BLOB    NOT NULL REFERENCES client_case (case_id),
    client_id BLOB    NOT NULL REFERENCES client (client_id),
    position  INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (case_id, client_id),
    UNIQUE (case_id, position)
) STRICT;

CREATE INDEX case_client_by_client ON case_client (client_id);
