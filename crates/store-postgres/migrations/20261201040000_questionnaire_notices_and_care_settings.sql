-- Issue 5: administrations before each session, reminders, and the practice's own
-- crisis resources and reliable-change parameters.

-- An assignment either repeats every N weeks (every_weeks), or opens before each of
-- the client's sessions (before_sessions), or runs once (neither).
ALTER TABLE questionnaire_assignment ADD COLUMN before_sessions BOOLEAN NOT NULL DEFAULT FALSE;
-- Days before an administration closes to remind the client; NULL for no reminder.
ALTER TABLE questionnaire_assignment ADD COLUMN reminder_days BIGINT
    CHECK (reminder_days IS NULL OR reminder_days BETWEEN 1 AND 30);

-- Each notice about an administration is sent once: the primary key is what makes the
-- notices job safe to run again, or on two servers at once. The message itself is in
-- the outbox, sealed; nothing here says which questionnaire it was.
CREATE TABLE questionnaire_notice (
    assignment_id UUID        NOT NULL REFERENCES questionnaire_assignment (assignment_id),
    round         BIGINT      NOT NULL CHECK (round >= 0),
    kind          TEXT        NOT NULL CHECK (kind IN ('opened', 'reminder')),
    message_id    UUID        NOT NULL REFERENCES outbox_message (message_id),
    sent_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (assignment_id, round, kind)
);

-- Practice settings, not client data: stored plain.
CREATE TABLE practice_crisis_resources (
    practice_id UUID        NOT NULL PRIMARY KEY REFERENCES practice (practice_id),
    text        TEXT        NOT NULL,
    updated_by  UUID        NOT NULL REFERENCES account (account_id),
    updated_at  TIMESTAMPTZ NOT NULL
);

-- Decimals are kept as the text the owner typed, so they reach the exact arithmetic
-- without passing through a float.
CREATE TABLE practice_change_parameters (
    practice_id   UUID        NOT NULL REFERENCES practice (practice_id),
    instrument_id TEXT        NOT NULL,
    score         TEXT        NOT NULL,
    reliability   TEXT,
    sd            TEXT,
    source        TEXT        NOT NULL,
    updated_by    UUID        NOT NULL REFERENCES account (account_id),
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (practice_id, instrument_id, score)
);
