-- The intake (issue 4): answers as an append-only list of entries (every save and every
-- amendment kept, with author and time), when the client sent it, and the alerts a safety
-- answer raises. Answers and an alert's concern are sealed.
CREATE TABLE intake_entry (
    entry_id      BLOB NOT NULL PRIMARY KEY,
    practice_id   BLOB NOT NULL REFERENCES practice (practice_id),
    client_id     BLOB NOT NULL REFERENCES client (client_id),
    question_id   TEXT NOT NULL,
    -- NULL when the answer was cleared.
    answer_sealed BLOB,
    author_id     BLOB NOT NULL REFERENCES account (account_id),
    written_at    TEXT NOT NULL
) STRICT;

CREATE INDEX intake_entry_by_client ON intake_entry (client_id, written_at);

CREATE TABLE intake_submission (
    client_id    BLOB NOT NULL PRIMARY KEY REFERENCES client (client_id),
    submitted_at TEXT NOT NULL
) STRICT;

CREATE TABLE intake_alert (
    alert_id        BLOB NOT NULL PRIMARY KEY,
    practice_id     BLOB NOT NULL REFERENCES practice (practice_id),
    client_id       BLOB NOT NULL REFERENCES client (client_id),
    concern_sealed  BLOB NOT NULL,
    raised_at       TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by BLOB REFERENCES account (account_id)
) STRICT;

CREATE INDEX intake_alert_by_client ON intake_alert (client_id, raised_at);
