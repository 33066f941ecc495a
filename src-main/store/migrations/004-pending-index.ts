/**
 * Version 4: the sync state counts the documents waiting for acceptance after every
 * commit of a pull (and the app shows it); without an index that count read every
 * incoming document, so it cost more the more the store held.
 */
export const sql = `
CREATE INDEX documents_pending ON documents(direction) WHERE status = 'pending';
`;
