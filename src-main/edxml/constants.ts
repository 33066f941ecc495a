/**
 * Fixed facts of the edXML wire format (QCVN 102:2016/BTTTT) and the limits this
 * client applies to packages it reads or writes.
 */

/** The one namespace of every edXML element, default on <edXML> and bound to the `edXML:` prefix. */
export const edxmlNamespace = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

/** Prefix used on envelope children, as in the VNPT-generated sample. */
export const edxmlPrefix = 'edXML';

/**
 * Maximum lengths in characters (Unicode code points after NFC). The numbers from
 * BKAV's validator / NĐ 30 Phụ lục VI are cited in the standards doc §1.3 and §4.10;
 * the ones marked "ours" are not in any source and are generous caps against abuse.
 */
export const fieldLengths = {
  organId: 13,
  organName: 200,
  organizationInCharge: 200,
  organAdd: 250,
  email: 100,
  telephone: 20,
  fax: 20,
  website: 200, // ours
  documentId: 100, // ours
  codeNumber: 11,
  codeNotation: 30,
  place: 50,
  typeName: 100,
  subject: 500,
  content: 500,
  competence: 100, // ours
  position: 100, // NĐ 30 Phụ lục VI
  fullName: 50, // NĐ 30 Phụ lục VI
  toPlace: 150,
  sphereOfPromulgation: 100,
  typerNotation: 10,
  appendix: 500, // ours
  responseForCode: 42, // CodeNumber + "/" + CodeNotation
  businessDocReason: 2000, // ours
  staffField: 200, // ours: Department, Staff
  mobile: 20, // ours, like Telephone
  statusDescription: 2000, // ours
  contentId: 200, // ours
  attachmentName: 255, // file-system limit
  attachmentDescription: 500, // ours
  contentType: 200, // ours
} as const;

/** Limits applied when reading (and, for sizes, when writing) a package. */
export interface EdxmlLimits {
  /** Whole package, checked before anything is decoded. */
  maxPackageBytes: number;
  /** One attachment after Base64 decoding and, when zipped, after inflating. */
  maxAttachmentBytes: number;
  /** Sum over all attachments after decoding/inflating. */
  maxTotalAttachmentBytes: number;
  /** Number of attachments. */
  maxAttachments: number;
  /** Opaque XML-DSig block kept from the header. */
  maxSignatureChars: number;
}

const mebibyte = 1024 * 1024;

export const defaultLimits: EdxmlLimits = {
  maxPackageBytes: 100 * mebibyte,
  maxAttachmentBytes: 50 * mebibyte,
  maxTotalAttachmentBytes: 150 * mebibyte,
  maxAttachments: 100,
  maxSignatureChars: 64 * 1024,
};

export function resolveLimits(partial?: Partial<EdxmlLimits>): EdxmlLimits {
  const limits = { ...defaultLimits };
  if (partial) {
    for (const key of Object.keys(defaultLimits) as (keyof EdxmlLimits)[]) {
      const value = partial[key];
      if (value !== undefined) {
        if (!Number.isSafeInteger(value) || value <= 0) {
          throw new TypeError(`edXML limit ${key} must be a positive integer`);
        }
        limits[key] = value;
      }
    }
  }
  return limits;
}
