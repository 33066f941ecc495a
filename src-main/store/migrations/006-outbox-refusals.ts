/**
 * Version 6: an outbox item the server refused keeps the server's error code and when it
 * was refused, so the clerk is told why in Vietnamese (the code picks the sentence; the
 * server's own words stay beside it) and can send it again once the cause is mended.
 */
export const sql = `
ALTER TABLE outbox ADD COLUMN refusal_code TEXT;
ALTER TABLE outbox ADD COLUMN refused_at TEXT;
UPDATE outbox SET refused_at = created_at WHERE state = 'rejected';
`;
