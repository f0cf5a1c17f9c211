-- Questionnaire administration (issue 5). The instrument, the answers and the score
-- are sealed; only whose it is and when stay plain, for the portal to find work.
CREATE TABLE questionnaire_assignment (
    assignment_id     UUID        NOT NULL PRIMARY KEY,
    practice_id       UUID        NOT NULL REFERENCES practice (practice_id),
    case_id           UUID        NOT NULL REFERENCES client_case (case_id),
    client_id         UUID        NOT NULL REFERENCES client (client_id),
    instrument_sealed BYTEA       NOT NULL,
    every_weeks       BIGINT      CHECK (every_weeks IS NULL OR every_weeks BETWEEN 1 AND 52),
    starts_at         TIMESTAMPTZ NOT NULL,
    open_days         BIGINT      NOT NULL CHECK (open_days BETWEEN 1 AND 90),
    assigned_by       UUID        NOT NULL REFERENCES account (account_id),
    assigned_at       TIMESTAMPTZ NOT NULL,
    ended_at          TIMESTAMPTZ
);

CREATE INDEX questionnaire_assignment_by_client ON questionnaire_assignment (client_id);

CREATE TABLE questionnaire_response (
    response_id       UUID        NOT NULL PRIMARY KEY,
    practice_id       UUID        NOT NULL REFERENCES practice (practice_id),
    case_id           UUID        NOT NULL REFERENCES client_case (case_id),
    client_id         UUID        NOT NULL REFERENCES client (client_id),
    assignment_id     UUID        REFERENCES questionnaire_assignment (assignment_id),
    round             BIGINT      NOT NULL CHECK (round >= 0),
    instrument_sealed BYTEA       NOT NULL,
    answers_sealed    BYTEA       NOT NULL,
    score_sealed      BYTEA,
    entered_by        UUID        NOT NULL REFERENCES account (account_id),
    updated_at        TIMESTAMPTZ NOT NULL,
    completed_at      TIMESTAMPTZ,
    -- One response per administration of an assignment.
    UNIQUE (assignment_id, round)
);

CREATE INDEX questionnaire_response_by_client ON questionnaire_response (client_id, updated_at);
