-- Inbound webhooks: a source can take JSON pushes (e.g. an e-commerce platform's order push),
-- signed with HMAC-SHA256, and turn them into events through a field mapping.
ALTER TABLE sources ADD COLUMN webhook_secret_ciphertext text;
ALTER TABLE sources ADD COLUMN webhook_kind text;
ALTER TABLE sources ADD COLUMN webhook_mapping jsonb;
