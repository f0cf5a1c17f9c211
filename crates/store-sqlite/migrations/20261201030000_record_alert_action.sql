-- A safety alert is marked as seen together with what the clinician did about it
-- (issue 5), sealed like the concern itself.
ALTER TABLE intake_alert ADD COLUMN action_sealed BLOB;
