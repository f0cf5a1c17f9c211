-- Practices are the tenants of an installation: every clinician, client and record
-- belongs to exactly one.
--
-- Ids are UUIDv7 and timestamps are made in Rust (never `now()` or a uuid default), so
-- PostgreSQL and SQLite hold the same values. The display name is not sealed: it is the
-- practice's public name, not a client's.
CREATE TABLE practice (
    practice_id  UUID        NOT NULL PRIMARY KEY,
    display_name TEXT        NOT NULL,
    -- The fictional practice `sensate demo` seeds; the demo refuses to seed into a
    -- database that holds any practice without this mark.
    is_demo      BOOLEAN     NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE INDEX practice_by_creation ON practice (created_at, practice_id);
