/**
 * Business status codes of status messages (gói tin trạng thái), standards doc §2.1.
 * The table is master data, not a closed enumeration: codes 07–12 and 14 are not
 * verified, so the codec accepts any two-digit code and callers may pass their own
 * table (e.g. edited by an administrator).
 */
export type StatusSender = 'recipient' | 'sender';

export interface StatusCodeInfo {
  code: string;
  /** Vietnamese label shown to users. */
  label: string;
  /** Longer English explanation for logs and developers. */
  meaning: string;
  sentBy: StatusSender;
  /** false when the meaning is contested or unverified ([C]/[R] in the doc). */
  verified: boolean;
}

export const defaultStatusCodes: readonly StatusCodeInfo[] = [
  { code: '01', label: 'Đã đến', meaning: 'Received by the software, not yet handled by the văn thư', sentBy: 'recipient', verified: true },
  { code: '02', label: 'Từ chối tiếp nhận', meaning: 'Rejected / returned; Description carries the reason', sentBy: 'recipient', verified: true },
  { code: '03', label: 'Đã tiếp nhận', meaning: 'Accepted and registered by the văn thư', sentBy: 'recipient', verified: true },
  { code: '04', label: 'Phân công', meaning: 'A leader assigned the handling', sentBy: 'recipient', verified: true },
  { code: '05', label: 'Đang xử lý', meaning: 'Being processed', sentBy: 'recipient', verified: true },
  { code: '06', label: 'Hoàn thành', meaning: 'Processing finished', sentBy: 'recipient', verified: true },
  { code: '13', label: 'Lấy lại / thu hồi', meaning: 'The sender takes its own document back', sentBy: 'sender', verified: true },
  { code: '14', label: 'Đồng ý cập nhật, lấy lại (chưa xác minh)', meaning: 'Seen once, apparently a bug for 15; unverified', sentBy: 'recipient', verified: false },
  { code: '15', label: 'Đồng ý cập nhật / lấy lại / thu hồi', meaning: 'The recipient agrees to the update or recall request', sentBy: 'recipient', verified: true },
  { code: '16', label: 'Từ chối cập nhật / lấy lại', meaning: 'The recipient refuses the update or recall request', sentBy: 'recipient', verified: true },
];

/** Two ASCII digits. */
export function isStatusCodeFormat(code: string): boolean {
  return /^\d{2}$/.test(code);
}

export function describeStatusCode(
  code: string,
  table: readonly StatusCodeInfo[] = defaultStatusCodes,
): StatusCodeInfo | undefined {
  return table.find((entry) => entry.code === code);
}

/** Độ khẩn labels for Priority 0–4 (§1.3). */
export const priorityLabels: Readonly<Record<0 | 1 | 2 | 3 | 4, string>> = {
  0: 'Thường',
  1: 'Khẩn',
  2: 'Thượng khẩn',
  3: 'Hỏa tốc',
  4: 'Hỏa tốc hẹn giờ',
};

/** BussinessDocType labels (§1.4). */
export const businessDocTypeLabels: Readonly<Record<0 | 1 | 2 | 3, string>> = {
  0: 'Văn bản mới',
  1: 'Thu hồi',
  2: 'Cập nhật',
  3: 'Thay thế',
};
