-- Invitations, the practice's mail outbox, and who cares for which client (issue 3).

-- A single-use invitation link: the link's token is stored only as its SHA-256 digest,
-- and the invitee's name and address only sealed.
CREATE TABLE invitation (
    invitation_id UUID        NOT NULL PRIMARY KEY,
    token_digest  BYTEA       NOT NULL UNIQUE,
    practice_id   UUID        NOT NULL REFERENCES practice (practice_id),
    role          TEXT        NOT NULL CHECK (role IN ('clinician', 'client')),
    email_lookup  BYTEA       NOT NULL,
    email_sealed  BYTEA       NOT NULL,
    name_sealed   BYTEA       NOT NULL,
    invited_by    UUID        NOT NULL REFERENCES account (account_id),
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    -- Set once the link is used, or withdrawn; a link works only while both are NULL.
    accepted_at   TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ
);

CREATE INDEX invitation_by_practice ON invitation (practice_id, created_at);

-- Email the practice sends, kept in the database first (the outbox), so nothing is
-- lost if delivery fails and the owner can see what was sent. Everything is sealed:
-- even a subject line can say who is in therapy.
CREATE TABLE outbox_message (
    message_id       UUID        NOT NULL PRIMARY KEY,
    practice_id      UUID        NOT NULL REFERENCES practice (practice_id),
    recipient_sealed BYTEA       NOT NULL,
    subject_sealed   BYTEA       NOT NULL,
    body_sealed      BYTEA       NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    delivered_at     TIMESTAMPTZ
);

CREATE INDEX outbox_by_practice ON outbox_message (practice_id, created_at);

-- Which clinicians care for which client: the relationship the access policy asks
-- about ("clinician of the client" or "another clinician of the practice").
CREATE TABLE client_clinician (
    client_id    UUID        NOT NULL REFERENCES account (account_id),
    clinician_id UUID        NOT NULL REFERENCES account (account_id),
    since        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, clinician_id)
);

CREATE INDEX client_clinician_by_clinician ON client_clinician (clinician_id);
