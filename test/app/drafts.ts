/** The draft decision the signing tests sign: a Quyết định with the test PKI's signer as its signer. */
import { saveDraft } from '../../src-main/documents/outgoingRegister.js';
import type { AppServices } from '../../src-main/app/services.js';

export function decisionDraft(s: AppServices, pdf: Buffer, options: { signerName?: string | null; fileName?: string } = {}) {
  const typeId = s.db.prepare("SELECT id FROM document_types WHERE name = 'Quyết định'").pluck().get() as number;
  return saveDraft(s.db, s.files, {
    typeId,
    subject: 'Về việc phê duyệt kế hoạch chuyển đổi số năm 2026',
    signerName: options.signerName === undefined ? 'Nguyễn Văn A' : options.signerName,
    signerPosition: 'Phó Chủ tịch',
    recipients: 'Như Điều 3',
    draftingUnitId: null,
    urgency: 0,
    confidentiality: 0,
    note: null,
    file: { name: options.fileName ?? 'qd-chuyen-doi-so.pdf', dataBase64: pdf.toString('base64') },
  });
}
