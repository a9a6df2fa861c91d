-- Tracking API hardening (module: ingest).
-- A web source may name the origins allowed to send to it from a browser (CORS); NULL allows any,
-- as a web write key is public anyway.
ALTER TABLE sources ADD COLUMN allowed_origins jsonb;
-- A refused event remembers where it was refused: the field path inside the event, and its
-- position and request in the call that carried it.
ALTER TABLE quarantine ADD COLUMN field text;
ALTER TABLE quarantine ADD COLUMN event_index integer;
ALTER TABLE quarantine ADD COLUMN request_id text;
