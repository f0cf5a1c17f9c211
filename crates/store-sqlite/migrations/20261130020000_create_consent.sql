-- Consent documents and signatures (issue 4).
--
-- A document's words are the practice's own and kept plain; every saved change is a new
-- version. A signature names the exact version and keeps its content hash, so what a
-- client agreed to can always be shown word for word. The typed name is sealed.
CREATE TABLE consent_document (
    document_id  BLOB    NOT NULL PRIMARY KEY,
    practice_id  BLOB    NOT NULL REFERENCES practice (practice_id),
    kind         TEXT    NOT NULL CHECK (kind IN ('informed_consent')),
    version      INTEGER NOT NULL CHECK (version >= 1),
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    content_hash BLOB    NOT NULL CHECK (length(content_hash) = 32),
    published_at TEXT    NOT NULL,
    -- NULL for the default document Sensate supplies.
    published_by BLOB    REFERENCES account (account_id),
    UNIQUE (practice_id, kind, version)
) STRICT;

CREATE TABLE consent_signature (
    signature_id       BLOB NOT NULL PRIMARY KEY,
    practice_id        BLOB NOT NULL REFERENCES practice (practice_id),
    client_id          BLOB NOT NULL REFERENCES client (client_id),
    document_id        BLOB NOT NULL REFERENCES consent_document (document_id),
    content_hash       BLOB NOT NULL CHECK (length(content_hash) = 32),
    signed_name_sealed BLOB NOT NULL,
    signed_by          BLOB NOT NULL REFERENCES account (account_id),
    signed_at          TEXT NOT NULL
) STRICT;

CREATE INDEX consent_signature_by_client ON consent_signature (client_id, signed_at);

-- Each partner's agreement to their couple case's secrets policy; a later change of
-- policy asks again, so a partner may have several rows.
CREATE TABLE secrets_policy_consent (
    case_id   BLOB NOT NULL REFERENCES client_case (case_id),
    client_id BLOB NOT NULL REFERENCES client (client_id),
    policy    TEXT NOT NULL CHECK (policy IN ('no_secrets', 'limited_secrets', 'accommodation')),
    signed_by BLOB NOT NULL REFERENCES account (account_id),
    signed_at TEXT NOT NULL,
    PRIMARY KEY (case_id, client_id, signed_at)
) STRICT;
