-- Treatment plans (issue 4): every change a numbered revision with author, time and a
-- sealed reason; the content is sealed. Earlier revisions are never changed.
CREATE TABLE plan_revision (
    revision_id    UUID        NOT NULL PRIMARY KEY,
    practice_id    UUID        NOT NULL REFERENCES practice (practice_id),
    case_id        UUID        NOT NULL REFERENCES client_case (case_id),
    number         BIGINT      NOT NULL CHECK (number >= 1),
    content_sealed BYTEA       NOT NULL,
    reason_sealed  BYTEA,
    written_by     UUID        NOT NULL REFERENCES account (account_id),
    written_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (case_id, number)
);

CREATE TABLE plan_acknowledgement (
    revision_id     UUID        NOT NULL REFERENCES plan_revision (revision_id),
    client_id       UUID        NOT NULL REFERENCES client (client_id),
    acknowledged_by UUID        NOT NULL REFERENCES account (account_id),
    acknowledged_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (revision_id, client_id)
);
