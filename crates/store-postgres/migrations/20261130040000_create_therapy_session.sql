-- Therapy sessions and notes (issue 4).
--
-- When, how long, how and what kind of session are plain: the schedule and billing
-- need them, and they say nothing of what was said. Every note is sealed. A signed
-- progress note is locked (the store refuses to change it); later changes are dated
-- addenda. Process notes are the clinician's alone and kept apart.
CREATE TABLE therapy_session (
    session_id   UUID    NOT NULL PRIMARY KEY,
    practice_id  UUID    NOT NULL REFERENCES practice (practice_id),
    case_id      UUID    NOT NULL REFERENCES client_case (case_id),
    starts_at    TIMESTAMPTZ    NOT NULL,
    minutes      BIGINT  NOT NULL CHECK (minutes BETWEEN 1 AND 480),
    modality     TEXT    NOT NULL CHECK (modality IN ('in_person', 'video', 'phone')),
    session_type TEXT    NOT NULL CHECK (session_type IN ('intake', 'individual', 'couple_with_client', 'couple_without_client', 'group')),
    cpt_code     TEXT,
    recorded_by  UUID    NOT NULL REFERENCES account (account_id)
);

CREATE INDEX therapy_session_by_case ON therapy_session (case_id, starts_at);

CREATE TABLE session_attendee (
    session_id UUID NOT NULL REFERENCES therapy_session (session_id),
    client_id  UUID NOT NULL REFERENCES client (client_id),
    PRIMARY KEY (session_id, client_id)
);

CREATE TABLE progress_note (
    session_id  UUID NOT NULL PRIMARY KEY REFERENCES therapy_session (session_id),
    template    TEXT NOT NULL CHECK (template IN ('soap', 'dap', 'birp')),
    body_sealed BYTEA NOT NULL,
    written_by  UUID NOT NULL REFERENCES account (account_id),
    updated_at  TIMESTAMPTZ NOT NULL,
    signed_at   TIMESTAMPTZ
);

CREATE TABLE note_addendum (
    addendum_id UUID NOT NULL PRIMARY KEY,
    session_id  UUID NOT NULL REFERENCES progress_note (session_id),
    body_sealed BYTEA NOT NULL,
    written_by  UUID NOT NULL REFERENCES account (account_id),
    written_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX note_addendum_by_session ON note_addendum (session_id, written_at);

CREATE TABLE process_note (
    session_id  UUID NOT NULL PRIMARY KEY REFERENCES therapy_session (session_id),
    body_sealed BYTEA NOT NULL,
    written_by  UUID NOT NULL REFERENCES account (account_id),
    written_at  TIMESTAMPTZ NOT NULL
);
