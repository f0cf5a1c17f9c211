-- Therapy sessions and notes (issue 4).
--
-- When, how long, how and what kind of session are plain: the schedule and billing
-- need them, and they say nothing of what was said. Every note is sealed. A signed
-- progress note is locked (the store refuses to change it); later changes are dated
-- addenda. Process notes are the clinician's alone and kept apart.
CREATE TABLE therapy_session (
    session_id   BLOB    NOT NULL PRIMARY KEY,
    practice_id  BLOB    NOT NULL REFERENCES practice (practice_id),
    case_id      BLOB    NOT NULL REFERENCES client_case (case_id),
    starts_at    TEXT    NOT NULL,
    minutes      INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 480),
    modality     TEXT    NOT NULL CHECK (modality IN ('in_person', 'video', 'phone')),
    session_type TEXT    NOT NULL CHECK (session_type IN ('intake', 'individual', 'couple_with_client', 'couple_without_client', 'group')),
    cpt_code     TEXT,
    recorded_by  BLOB    NOT NULL REFERENCES account (account_id)
) STRICT;

CREATE INDEX therapy_session_by_case ON therapy_session (case_id, starts_at);

CREATE TABLE session_attendee (
    session_id BLOB NOT NULL REFERENCES therapy_session (session_id),
    client_id  BLOB NOT NULL REFERENCES client (client_id),
    PRIMARY KEY (session_id, client_id)
) STRICT;

CREATE TABLE progress_note (
    session_id  BLOB NOT NULL PRIMARY KEY REFERENCES therapy_session (session_id),
    template    TEXT NOT NULL CHECK (template IN ('soap', 'dap', 'birp')),
    body_sealed BLOB NOT NULL,
    written_by  BLOB NOT NULL REFERENCES account (account_id),
    updated_at  TEXT NOT NULL,
    signed_at   TEXT
) STRICT;

CREATE TABLE note_addendum (
    addendum_id BLOB NOT NULL PRIMARY KEY,
    session_id  BLOB NOT NULL REFERENCES progress_note (session_id),
    body_sealed BLOB NOT NULL,
    written_by  BLOB NOT NULL REFERENCES account (account_id),
    written_at  TEXT NOT NULL
) STRICT;

CREATE INDEX note_addendum_by_session ON note_addendum (session_id, written_at);

CREATE TABLE process_note (
    session_id  BLOB NOT NULL PRIMARY KEY REFERENCES therapy_session (session_id),
    body_sealed BLOB NOT NULL,
    written_by  BLOB NOT NULL REFERENCES account (account_id),
    written_at  TEXT NOT NULL
) STRICT;
