-- A client's concerns and diagnoses as their clinician chose them (issue 4); both sealed.
CREATE TABLE client_formulation (
    client_id        BLOB NOT NULL PRIMARY KEY REFERENCES client (client_id),
    practice_id      BLOB NOT NULL REFERENCES practice (practice_id),
    concerns_sealed  BLOB NOT NULL,
    diagnoses_sealed BLOB NOT NULL,
    updated_by       BLOB NOT NULL REFERENCES account (account_id),
    updated_at       TEXT NOT NULL
) STRICT;
