-- Invitations, the practice's mail outbox, and who cares for which client (issue 3).

-- A single-use invitation link: the link's token is stored only as its SHA-256 digest,
-- and the invitee's name and address only sealed.
CREATE TABLE invitation (
    invitation_id BLOB NOT NULL PRIMARY KEY,
    token_digest  BLOB NOT NULL UNIQUE,
    practice_id   BLOB NOT NULL REFERENCES practice (practice_id),
    role          TEXT NOT NULL CHECK (role IN ('clinician', 'client')),
    email_lookup  BLOB NOT NULL,
    email_sealed  BLOB NOT NULL,
    name_sealed   BLOB NOT NULL,
    invited_by    BLOB NOT NULL REFERENCES account (account_id),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    -- Set once the link is used, or withdrawn; a link works only while both are NULL.
    accepted_at   TEXT,
    revoked_at    TEXT
) STRICT;

CREATE INDEX invitation_by_practice ON invitation (practice_id, created_at);

-- Email the practice sends, kept in the database first (the outbox), so nothing is
-- lost if delivery fails and the owner can see what was sent. Everything is sealed:
-- even a subject line can say who is in therapy.
CREATE TABLE outbox_message (
    message_id       BLOB NOT NULL PRIMARY KEY,
    practice_id      BLOB NOT NULL REFERENCES practice (practice_id),
    recipient_sealed BLOB NOT NULL,
    subject_sealed   BLOB NOT NULL,
    body_sealed      BLOB NOT NULL,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT
) STRICT;

CREATE INDEX outbox_by_practice ON outbox_message (practice_id, created_at);

-- Which clinicians care for which client: the relationship the access policy asks
-- about ("clinician of the client" or "another clinician of the practice").
CREATE TABLE client_clinician (
    client_id    BLOB NOT NULL REFERENCES account (account_id),
    clinician_id BLOB NOT NULL REFERENCES account (account_id),
    since        TEXT NOT NULL,
    PRIMARY KEY (client_id, clinician_id)
) STRICT;

CREATE INDEX client_clinician_by_clinician ON client_clinician (clinician_id);
