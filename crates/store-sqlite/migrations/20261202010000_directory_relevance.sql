-- Relevance is the same on every backend and in the in-process search index: it counts
-- where each word matches (the name, the concerns, approaches and insurers chosen from
-- lists, or the free text), so the folded words of the name and of the chosen labels
-- are kept apart. The app writes them on every save; a profile saved before this
-- migration has them empty until its next save, and its words still match, each with
-- the free text's weight.
ALTER TABLE directory_profile ADD COLUMN name_words TEXT NOT NULL DEFAULT '';
ALTER TABLE directory_profile ADD COLUMN label_words TEXT NOT NULL DEFAULT '';

-- One number that grows with every profile saved, so a server can tell with one small
-- read whether its search index is still current.
CREATE TABLE directory_revision (
    singleton INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
    revision  INTEGER NOT NULL
) STRICT;
INSERT INTO directory_revision (singleton, revision) VALUES (1, 0);
