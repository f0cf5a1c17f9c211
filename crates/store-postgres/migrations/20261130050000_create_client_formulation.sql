-- A client's concerns and diagnoses as their clinician chose them (issue 4); both sealed.
CREATE TABLE client_formulation (
    client_id        UUID        NOT NULL PRIMARY KEY REFERENCES client (client_id),
    practice_id      UUID        NOT NULL REFERENCES practice (practice_id),
    concerns_sealed  BYTEA       NOT NULL,
    diagnoses_sealed BYTEA       NOT NULL,
    updated_by       UUID        NOT NULL REFERENCES account (account_id),
    updated_at       TIMESTAMPTZ NOT NULL
);
