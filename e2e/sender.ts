/**
 * The other agency of the exchange specs: its own store, driven through main's built
 * modules (dist/main, as the app runs them), issuing documents "signed" the way the
 * exchange checks (a signature dictionary in the PDF) to send to the app's agency.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppServices } from '../src-main/app/services.js';
import type { issueDocument as IssueDocument, saveDraft as SaveDraft } from '../src-main/documents/outgoingRegister.js';
import type { simplePdf as SimplePdf } from '../src-main/documents/simplePdf.js';

const root = path.resolve(import.meta.dirname, '..');

/** A module of the build (`npm run build` first). */
export const load = async <T>(rel: string): Promise<T> => (await import(pathToFileURL(path.join(root, 'dist/main', rel)).href)) as T;

/** A PDF whose only "signature" is a signature dictionary: what the send checks for, not a valid signature. */
export async function pdfMarkedSigned(text: string): Promise<Buffer> {
  const { simplePdf } = await load<{ simplePdf: typeof SimplePdf }>('src-main/documents/simplePdf.js');
  return Buffer.concat([simplePdf([text]), Buffer.from('\n99 0 obj\n<< /Type /Sig /ByteRange [0 0 0 0] /Contents <00> >>\nendobj\n', 'latin1')]);
}

/** An issued công văn of the sending agency, with its PDF; returns its id. */
export async function issuedDocument(s: AppServices, subject: string, signer: { name: string; position: string }, recipients: string): Promise<number> {
  const { saveDraft, issueDocument } = await load<{ saveDraft: typeof SaveDraft; issueDocument: typeof IssueDocument }>('src-main/documents/outgoingRegister.js');
  const typeId = s.db.prepare("SELECT id FROM document_types WHERE name = 'Công văn'").pluck().get() as number;
  const unitId = s.db.prepare('SELECT id FROM units LIMIT 1').pluck().get() as number;
  const draft = await saveDraft(s.db, s.files, {
    typeId,
    subject,
    signerName: signer.name,
    signerPosition: signer.position,
    recipients,
    draftingUnitId: unitId,
    urgency: 0,
    confidentiality: 0,
    note: null,
    file: { name: 'cong-van.pdf', dataBase64: (await pdfMarkedSigned(subject)).toString('base64') },
  });
  issueDocument(s.db, { id: draft.id });
  return draft.id;
}
