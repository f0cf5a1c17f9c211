-- Messages within a case (issue 4): to the whole case (private_to NULL) or privately
-- between one client and the clinicians. The text is sealed; who wrote it, when, and to
-- whom are kept plain so a client's view can be filtered in the query itself.
CREATE TABLE case_message (
    message_id  BLOB NOT NULL PRIMARY KEY,
    practice_id BLOB NOT NULL REFERENCES practice (practice_id),
    case_id     BLOB NOT NULL REFERENCES client_case (case_id),
    private_to  BLOB REFERENCES client (client_id),
    author_id   BLOB NOT NULL REFERENCES account (account_id),
    body_sealed BLOB NOT NULL,
    sent_at     TEXT NOT NULL,
    shared_at   TEXT
) STRICT;

CREATE INDEX case_message_by_case ON case_message (case_id, sent_at);

-- How far each person has read each case's messages, for "new" counts.
CREATE TABLE case_message_read (
    account_id BLOB NOT NULL REFERENCES account (account_id),
    case_id    BLOB NOT NULL REFERENCES client_case (case_id),
    read_at    TEXT NOT NULL,
    PRIMARY KEY (account_id, case_id)
) STRICT;
