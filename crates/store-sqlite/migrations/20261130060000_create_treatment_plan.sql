-- Treatment plans (issue 4): every change a numbered revision with author, time and a
-- sealed reason; the content is sealed. Earlier revisions are never changed.
CREATE TABLE plan_revision (
    revision_id    BLOB    NOT NULL PRIMARY KEY,
    practice_id    BLOB    NOT NULL REFERENCES practice (practice_id),
    case_id        BLOB    NOT NULL REFERENCES client_case (case_id),
    number         INTEGER NOT NULL CHECK (number >= 1),
    content_sealed BLOB    NOT NULL,
    reason_sealed  BLOB,
    written_by     BLOB    NOT NULL REFERENCES account (account_id),
    written_at     TEXT    NOT NULL,
    UNIQUE (case_id, number)
) STRICT;

CREATE TABLE plan_acknowledgement (
    revision_id     BLOB NOT NULL REFERENCES plan_revision (revision_id),
    client_id       BLOB NOT NULL REFERENCES client (client_id),
    acknowledged_by BLOB NOT NULL REFERENCES account (account_id),
    acknowledged_at TEXT NOT NULL,
    PRIMARY KEY (revision_id, client_id)
) STRICT;
