-- The intake (issue 4): answers as an append-only list of entries (every save and every
-- amendment kept, with author and time), when the client sent it, and the alerts a safety
-- answer raises. Answers and an alert's concern are sealed.
CREATE TABLE intake_entry (
    entry_id      UUID NOT NULL PRIMARY KEY,
    practice_id   UUID NOT NULL REFERENCES practice (practice_id),
    client_id     UUID NOT NULL REFERENCES client (client_id),
    question_id   TEXT NOT NULL,
    -- NULL when the answer was cleared.
    answer_sealed BYTEA,
    author_id     UUID NOT NULL REFERENCES account (account_id),
    written_at    TIMESTAMPTZ NOT NULL
);

CREATE INDEX intake_entry_by_client ON intake_entry (client_id, written_at);

CREATE TABLE intake_submission (
    client_id    UUID NOT NULL PRIMARY KEY REFERENCES client (client_id),
    submitted_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE intake_alert (
    alert_id        UUID NOT NULL PRIMARY KEY,
    practice_id     UUID NOT NULL REFERENCES practice (practice_id),
    client_id       UUID NOT NULL REFERENCES client (client_id),
    concern_sealed  BYTEA NOT NULL,
    raised_at       TIMESTAMPTZ NOT NULL,
    acknowledged_at TIMESTAMPTZ,
    acknowledged_by UUID REFERENCES account (account_id)
);

CREATE INDEX intake_alert_by_client ON intake_alert (client_id, raised_at);
