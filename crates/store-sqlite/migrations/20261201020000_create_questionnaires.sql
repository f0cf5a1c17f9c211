-- Questionnaire administration (issue 5). The instrument, the answers and the score
-- are sealed; only whose it is and when stay plain, for the portal to find work.
CREATE TABLE questionnaire_assignment (
    assignment_id     BLOB    NOT NULL PRIMARY KEY,
    practice_id       BLOB    NOT NULL REFERENCES practice (practice_id),
    case_id           BLOB    NOT NULL REFERENCES client_case (case_id),
    client_id         BLOB    NOT NULL REFERENCES client (client_id),
    instrument_sealed BLOB    NOT NULL,
    every_weeks       INTEGER CHECK (every_weeks IS NULL OR every_weeks BETWEEN 1 AND 52),
    starts_at         TEXT    NOT NULL,
    open_days         INTEGER NOT NULL CHECK (open_days BETWEEN 1 AND 90),
    assigned_by       BLOB    NOT NULL REFERENCES account (account_id),
    assigned_at       TEXT    NOT NULL,
    ended_at          TEXT
) STRICT;

CREATE INDEX questionnaire_assignment_by_client ON questionnaire_assignment (client_id);

CREATE TABLE questionnaire_response (
    response_id       BLOB    NOT NULL PRIMARY KEY,
    practice_id       BLOB    NOT NULL REFERENCES practice (practice_id),
    case_id           BLOB    NOT NULL REFERENCES client_case (case_id),
    client_id         BLOB    NOT NULL REFERENCES client (client_id),
    assignment_id     BLOB    REFERENCES questionnaire_assignment (assignment_id),
    round             INTEGER NOT NULL CHECK (round >= 0),
    instrument_sealed BLOB    NOT NULL,
    answers_sealed    BLOB    NOT NULL,
    score_sealed      BLOB,
    entered_by        BLOB    NOT NULL REFERENCES account (account_id),
    updated_at        TEXT    NOT NULL,
    completed_at      TEXT,
    -- One response per administration of an assignment.
    UNIQUE (assignment_id, round)
) STRICT;

CREATE INDEX questionnaire_response_by_client ON questionnaire_response (client_id, updated_at);
