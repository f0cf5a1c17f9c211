-- The directory's revision at each profile's last save, so a server whose search index
-- was read at revision R can fetch just the profiles saved since (any server's saves),
-- instead of reading the whole directory again.
ALTER TABLE directory_profile ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
CREATE INDEX directory_profile_by_revision ON directory_profile (revision);
