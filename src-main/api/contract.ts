/**
 * The API the renderer may call: for each channel, its input schema and result
 * type, declared once. Main validates every input against these schemas before it
 * acts (src-main/api/dispatch.ts); the renderer imports only the `Api` type.
 */
import { z } from 'zod';
import type { Channel } from './channels.js';
import type { Result } from './errors.js';
import type {
  AppInfo,
  DocumentDetail,
  DirectoryEntry,
  DocumentRecord,
  DocumentStatus,
  ExchangeRequest,
  ExchangeStatus,
  MasterData,
  Page,
  SearchHit,
  SignResult,
  StoredFile,
  SyncRunResult,
  SyncRefusal,
  SyncStateView,
  TokenList,
  VerifyResult,
} from './types.js';

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected yyyy-MM-dd');
const id = z.number().int().positive();
const urgency = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
const confidentiality = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);
/** Mã định danh (QCVN 102 / QĐ 20): NNN.NN.NN.Xnn. */
export const agencyCodePattern = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;

/** An uploaded file: bytes as Base64 (JSON-safe for IPC and the preview bridge). */
export const maxUploadBytes = 50 * 1024 * 1024;
const upload = z.strictObject({
  name: required(255),
  dataBase64: z.string().min(1).max(Math.ceil((maxUploadBytes * 4) / 3) + 4),
});

const agency = z.strictObject({
  name: required(200),
  shortName: required(20),
  code: z.string().trim().regex(agencyCodePattern, 'expected NNN.NN.NN.Xnn'),
  place: required(50),
});
const unit = z.strictObject({ name: required(200), shortName: required(20) });

export const documentFilters = z.strictObject({
  direction: z.enum(['incoming', 'outgoing']).optional(),
  typeId: id.optional(),
  sender: text(200).optional(),
  dateFrom: day.optional(),
  dateTo: day.optional(),
  urgency: urgency.optional(),
  status: z.string().max(20).optional(),
  year: z.number().int().min(1900).max(2999).optional(),
});
export type DocumentFilters = z.infer<typeof documentFilters>;

const paging = {
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(50),
};

const incomingFields = {
  senderName: required(200), // nơi gửi
  codeNumber: required(11), // số
  codeNotation: required(30), // ký hiệu
  documentDate: day, // ngày văn bản
  typeId: id,
  subject: required(500), // trích yếu
  urgency: urgency.default(0),
  confidentiality: confidentiality.default(0),
  recipientUnitId: id.nullable().default(null),
  recipientPerson: text(100).nullable().default(null),
  dueDate: day.nullable().default(null),
  note: text(1000).nullable().default(null),
};

export const incomingRegisterInput = z.strictObject({
  ...incomingFields,
  arrivalDate: day.optional(), // defaults to today in Asia/Ho_Chi_Minh
  file: upload.optional(),
  confirmDuplicate: z.boolean().default(false),
});
export type IncomingRegisterInput = z.infer<typeof incomingRegisterInput>;

export const outgoingDraftInput = z.strictObject({
  id: id.optional(), // absent: a new draft
  typeId: id,
  subject: required(500),
  signerName: text(50).nullable().default(null),
  signerPosition: text(100).nullable().default(null),
  recipients: text(1000).nullable().default(null),
  draftingUnitId: id.nullable().default(null),
  urgency: urgency.default(0),
  confidentiality: confidentiality.default(0),
  note: text(1000).nullable().default(null),
  file: upload.optional(),
});
export type OutgoingDraftInput = z.infer<typeof outgoingDraftInput>;

export const documentUpdateInput = z.strictObject({
  id,
  patch: z.strictObject({
    subject: required(500).optional(),
    typeId: id.optional(),
    senderName: required(200).optional(),
    codeNumber: required(11).optional(),
    codeNotation: required(30).optional(),
    documentDate: day.optional(),
    urgency: urgency.optional(),
    confidentiality: confidentiality.optional(),
    recipientUnitId: id.nullable().optional(),
    recipientPerson: text(100).nullable().optional(),
    dueDate: day.nullable().optional(),
    note: text(1000).nullable().optional(),
  }),
});
export type DocumentUpdateInput = z.infer<typeof documentUpdateInput>;

export const searchInput = z.strictObject({
  text: z.string().max(500),
  filters: documentFilters.default({}),
  sort: z.enum(['relevance', 'newest', 'oldest']).default('relevance'),
  ...paging,
});
export type SearchInput = z.infer<typeof searchInput>;

export const listInput = z.strictObject({
  filters: documentFilters.default({}),
  sort: z.enum(['newest', 'oldest']).default('newest'),
  ...paging,
});
export type ListInput = z.infer<typeof listInput>;

/** A row of a register (sổ đăng ký), in the order of Phụ lục IV. */
export interface RegisterRow {
  number: string; // số đến (marked " (Mật)" when both series are listed), or số/ký hiệu for văn bản đi
  date: string; // ngày đến, or ngày văn bản
  party: string; // tác giả (nơi gửi) or nơi nhận
  code: string; // số, ký hiệu
  documentDate: string | null;
  typeAndSubject: string;
  handler: string; // đơn vị/người nhận, or người ký
  /** văn bản đi: đơn vị, người nhận bản lưu (the drafting unit keeps the file copy, NĐ 30 Điều 19); '' for văn bản đến */
  keptBy: string;
  note: string;
  /** from the secret series (sổ văn bản mật) */
  secret: boolean;
  /** a cancelled (hủy) or recalled (thu hồi) document keeps its number and its line in the register */
  status: DocumentStatus;
  documentId: number;
}

/**
 * registers:list — one register of a year, in number order, a page at a time (`offset`, `limit`).
 * `series`: `ordinary` (sổ thường) or `secret` (sổ văn bản mật, numbered apart); absent: both, the
 * ordinary series first. `dateFrom`/`dateTo` (inclusive) narrow it by ngày đến (incoming) or ngày
 * văn bản (outgoing), e.g. to print one month.
 */
export const registersListInput = z
  .strictObject({
    direction: z.enum(['incoming', 'outgoing']),
    year: z.number().int().min(1900).max(2999),
    series: z.enum(['ordinary', 'secret']).optional(),
    dateFrom: day.optional(),
    dateTo: day.optional(),
    ...paging,
  })
  .refine((v) => !v.dateFrom || !v.dateTo || v.dateFrom <= v.dateTo, { message: 'dateFrom is after dateTo', path: ['dateTo'] });
export type RegistersListInput = z.infer<typeof registersListInput>;

const none = z.strictObject({}).default({});
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const finite = z.number().min(-100_000).max(100_000);

/** signing:verify — also ask OCSP (online, with the answers kept in `<dataDir>/signing/ocsp`); offline when absent. */
const verifyOnline = z.boolean().default(false);

/** Where a visible signature goes: 1-based page, [x1 y1 x2 y2] in PDF points (origin bottom left). */
const placement = z.strictObject({
  page: z.number().int().min(1).max(100_000),
  rect: z.tuple([finite, finite, finite, finite]).refine(([x1, y1, x2, y2]) => x2 > x1 && y2 > y1, 'expected x1 < x2 and y1 < y2'),
});

export const signInput = z.strictObject({
  documentId: id,
  as: z.enum(['signer', 'agency', 'appendix', 'copy']),
  tokenSerial: required(64),
  certId: z.string().regex(/^[0-9a-fA-F]{1,256}$/, 'expected CKA_ID in hex'),
  /** Held for this one call, never stored, logged or echoed back. */
  pin: z.string().min(1).max(128),
  placement: placement.optional(),
});
export type SignInput = z.infer<typeof signInput>;

/** Where `signing:sign` would put the signature without a placement (the dialog's preview starts there). */
export const signPlacementInput = z.strictObject({
  documentId: id,
  as: z.enum(['signer', 'agency', 'appendix', 'copy']),
  /** signer mode, when the document names no signer: the name is the certificate's CN */
  tokenSerial: required(64).optional(),
  certId: z.string().regex(/^[0-9a-fA-F]{1,256}$/, 'expected CKA_ID in hex').optional(),
});
export type SignPlacementInput = z.infer<typeof signPlacementInput>;

export interface SignPlacement {
  /** 1-based page */
  page: number;
  /** [x1 y1 x2 y2] in PDF points, origin bottom left */
  rect: [number, number, number, number];
  /** size of that page in points */
  pageSize: { width: number; height: number };
  /** true: found from the layout (what signing without a placement does); false: a default place */
  auto: boolean;
  /** why the place is not automatic: LAYOUT_NOT_FOUND */
  reason?: string;
  /** the PDF this place is on (the document's main PDF, the one that will be signed) */
  sha256: string;
}

export const syncConfigureInput = z.strictObject({
  serverUrl: z
    .string()
    .trim()
    .max(500)
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'expected an http(s) URL'),
  /** reference: the provincial server (user name and password); vdxp: the national axis (the agency's code and secret). */
  protocol: z.enum(['reference', 'vdxp']).default('reference'),
  /** Required for the provincial server; the axis knows the agency by its code. */
  username: text(100).default(''),
  /** The password — the axis's secret for vdxp. Never written to logs or the renderer; on disk only encrypted, when `remember` (app/syncHandlers.ts). */
  password: z.string().min(1).max(500),
  /** Keep the password encrypted on this PC (OS keychain via safeStorage) so sync resumes after a restart. */
  remember: z.boolean().default(false),
}).refine((v) => v.protocol === 'vdxp' || v.username.length > 0, { path: ['username'], message: 'required' });
export type SyncConfigureInput = z.infer<typeof syncConfigureInput>;
const result = <T>() => undefined as unknown as T;

export const contract = {
  'app:info': { input: none, result: result<AppInfo>() },
  'setup:complete': {
    input: z.strictObject({
      agency,
      units: z.array(unit).min(1).max(100),
      user: z.strictObject({ fullName: required(50), position: text(100), unitIndex: z.number().int().min(0).nullable() }),
    }),
    result: result<MasterData>(),
  },
  'masterData:get': { input: none, result: result<MasterData>() },
  'agency:update': { input: agency, result: result<MasterData>() },
  'units:save': { input: unit.extend({ id: id.optional() }), result: result<MasterData>() },
  'externalAgencies:save': {
    input: z.strictObject({
      id: id.optional(),
      code: z.string().trim().regex(agencyCodePattern).nullable().default(null),
      name: required(200),
    }),
    result: result<MasterData>(),
  },
  'documentTypes:save': {
    input: z.strictObject({ id, name: required(100), abbreviation: text(10).nullable() }),
    result: result<MasterData>(),
  },
  'numbering:setScheme': { input: z.strictObject({ scheme: z.enum(['single', 'per-type']) }), result: result<MasterData>() },
  'incoming:findDuplicates': {
    input: z.strictObject({ senderName: required(200), codeNumber: required(11), codeNotation: required(30), documentDate: day }),
    result: result<DocumentRecord[]>(),
  },
  'incoming:register': { input: incomingRegisterInput, result: result<DocumentRecord>() },
  'outgoing:saveDraft': { input: outgoingDraftInput, result: result<DocumentRecord>() },
  'outgoing:issue': { input: z.strictObject({ id, documentDate: day.optional() }), result: result<DocumentRecord>() },
  'documents:update': { input: documentUpdateInput, result: result<DocumentRecord>() },
  'documents:list': { input: listInput, result: result<Page<DocumentRecord>>() },
  'documents:get': { input: z.strictObject({ id }), result: result<DocumentDetail>() },
  'search:query': { input: searchInput, result: result<Page<SearchHit>>() },
  'files:read': {
    input: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    result: result<StoredFile & { dataBase64: string }>(),
  },
  'registers:list': { input: registersListInput, result: result<Page<RegisterRow>>() },
  'signing:verify': {
    input: z.union([z.strictObject({ documentId: id, ocsp: verifyOnline }), z.strictObject({ sha256, ocsp: verifyOnline })]),
    result: result<VerifyResult>(),
  },
  'signing:listTokens': { input: none, result: result<TokenList>() },
  'signing:sign': { input: signInput, result: result<SignResult>() },
  'signing:placement': { input: signPlacementInput, result: result<SignPlacement>() },
  'sync:state': { input: none, result: result<SyncStateView>() },
  'sync:now': { input: none, result: result<SyncRunResult>() },
  'sync:configure': { input: syncConfigureInput, result: result<SyncStateView>() },
  /** Deletes the remembered password and stops sync (server URL and user name stay). */
  'sync:forget': { input: none, result: result<SyncStateView>() },
  /** Outbox items the server refused, newest first. */
  'sync:refusals': { input: none, result: result<SyncRefusal[]>() },
  /** Puts a refused item back in the queue and starts a round; answers the refusals left. */
  'sync:retry': { input: z.strictObject({ id }), result: result<SyncRefusal[]>() },
  'exchange:accept': { input: z.strictObject({ id, arrivalDate: day.optional() }), result: result<DocumentRecord>() },
  'exchange:return': { input: z.strictObject({ id, reason: required(2000) }), result: result<DocumentRecord>() },
  'exchange:requests': { input: none, result: result<ExchangeRequest[]>() },
  'exchange:answer': {
    input: z.strictObject({ requestId: id, agree: z.boolean(), reason: text(2000).optional() }),
    result: result<ExchangeRequest[]>(),
  },
  'exchange:send': {
    input: z.strictObject({ id, recipients: z.array(z.string().trim().regex(agencyCodePattern, 'expected NNN.NN.NN.Xnn')).min(1).max(200) }),
    result: result<ExchangeStatus[]>(),
  },
  'exchange:statuses': { input: z.strictObject({ id }), result: result<ExchangeStatus[]>() },
  'exchange:directory': { input: none, result: result<DirectoryEntry[]>() },
} satisfies Record<Channel, { input: z.ZodType; result: unknown }>;

export type Contract = typeof contract;
export type ApiInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ApiParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ApiResult<C extends Channel> = Contract[C]['result'];

type DomainOf<C> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C> = C extends `${string}:${infer V}` ? V : never;
export type Domain = DomainOf<Channel>;

/** The shape both bridges (preload, preview host) present as `window.api`: api.documents.list(input). */
export type Api = {
  [D in Domain]: {
    [C in Extract<Channel, `${D}:${string}`> as VerbOf<C>]: (input: ApiInput<C>) => Promise<Result<ApiResult<C>>>;
  };
};

/** What main implements: one function per channel, taking the validated input. */
export type Handlers = { [C in Channel]: (input: ApiParsedInput<C>) => ApiResult<C> | Promise<ApiResult<C>> };
