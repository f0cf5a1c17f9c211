-- Validated questionnaire wording a practice imported as a FHIR R4 Questionnaire
-- (`sensate instruments import`), bound item by item to a built-in instrument. One per
-- instrument: a new import replaces the old. Not client data, so not sealed; the
-- wording is often licensed, which is why Sensate ships none of it.
CREATE TABLE instrument_wording (
    instrument_id      TEXT NOT NULL PRIMARY KEY,
    instrument_version TEXT NOT NULL,
    -- The bound wording as JSON (sensate_instruments::fhir::ImportedWording).
    wording_json       TEXT NOT NULL,
    imported_at        TIMESTAMPTZ NOT NULL
);
