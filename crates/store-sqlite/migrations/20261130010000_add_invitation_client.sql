-- A client invited to the portal from their record (issue 4): the invitation names the
-- record, and the account made when it is accepted belongs to it (account.client_id).
ALTER TABLE invitation ADD COLUMN client_id BLOB REFERENCES client (client_id);
