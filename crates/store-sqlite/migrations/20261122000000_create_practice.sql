-- Practices are the tenants of an installation: every clinician, client and record
-- belongs to exactly one.
--
-- Ids are UUIDv7 made in Rust and stored as 16-byte blobs; timestamps are made in Rust
-- and stored as RFC 3339 text in UTC, so SQLite and PostgreSQL hold the same values.
-- The display name is not sealed: it is the practice's public name, not a client's.
CREATE TABLE practice (
    practice_id  BLOB    NOT NULL PRIMARY KEY,
    display_name TEXT    NOT NULL,
    -- The fictional practice `sensate demo` seeds; the demo refuses to seed into a
    -- database that holds any practice without this mark.
    is_demo      INTEGER NOT NULL CHECK (is_demo IN (0, 1)),
    created_at   TEXT    NOT NULL
) STRICT;

CREATE INDEX practice_by_creation ON practice (created_at, practice_id);
