/**
 * TraceHeaderList (§1.4): TraceHeader* (OrganId + Timestamp) and one `Bussiness` block
 * (wire spelling with double s; `Business` is accepted when reading).
 *
 * Builder rules (stricter than the reader, which accepts what vendors actually send):
 * recall/update/replace need Bussiness/DocumentId; BussinessDocumentInfo only for
 * updates; ReplacementInfoList only for replacements, where it is required.
 */
import { fieldLengths as len } from './constants.js';
import { formatEdxmlTimestamp, parseEdxmlTimestamp } from './dates.js';
import { checkStaffInfo, dropUndefined, edText, qualified, readStaffInfo, writeStaffInfo } from './commonParts.js';
import { invalid } from './fail.js';
import { integerValue, optionalText, organIdValue, requiredText, wireFlag, wireInteger } from './fields.js';
import type {
  Business,
  BusinessDocType,
  BusinessDocumentInfo,
  ReceiverType,
  ReplacementInfo,
  TraceHeader,
  TraceHeaderList,
} from './types.js';
import type { EdxmlReader } from './xmlReader.js';
import { element, type XmlElement } from './xmlWriter.js';

const P = 'TraceHeaderList';
const B = `${P}/Bussiness`;

function checkTimestamp(path: string, value: Date): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw invalid(path, 'must be a valid date and time');
  return new Date(Math.floor(value.getTime() / 1000) * 1000);
}

function checkDocumentInfo(path: string, info: BusinessDocumentInfo): BusinessDocumentInfo {
  return {
    documentInfoChanged: info.documentInfoChanged === true,
    receiversChanged: info.receiversChanged === true,
    receivers: (info.receivers ?? []).map((r, i) => ({
      receiverType: integerValue(`${path}/ReceiverList/Receiver[${i + 1}]/ReceiverType`, r.receiverType, 0, 1) as ReceiverType,
      organId: organIdValue(`${path}/ReceiverList/Receiver[${i + 1}]/OrganId`, r.organId),
    })),
  };
}

function checkReplacement(path: string, r: ReplacementInfo): ReplacementInfo {
  return {
    documentId: requiredText(`${path}/DocumentId`, r.documentId, len.documentId),
    organIds: (r.organIds ?? []).map((id, i) => organIdValue(`${path}/OrganIdList/OrganId[${i + 1}]`, id)),
  };
}

function checkBusiness(b: Business, strict: boolean): Business {
  const docType = integerValue(`${B}/BussinessDocType`, b.docType, 0, 3) as BusinessDocType;
  const checked: Business = dropUndefined({
    documentId: optionalText(`${B}/DocumentId`, b.documentId, len.documentId),
    docType,
    reason: optionalText(`${B}/BussinessDocReason`, b.reason, len.businessDocReason),
    paper: b.paper === undefined ? undefined : integerValue(`${B}/Paper`, b.paper, 0, 65535),
    staffInfo: checkStaffInfo(`${B}/StaffInfo`, b.staffInfo),
    documentInfo: b.documentInfo === undefined ? undefined : checkDocumentInfo(`${B}/BussinessDocumentInfo`, b.documentInfo),
    replacements: (b.replacements ?? []).map((r, i) => checkReplacement(`${B}/ReplacementInfoList/ReplacementInfo[${i + 1}]`, r)),
  });
  if (docType !== 0 && checked.documentId === undefined) {
    throw invalid(`${B}/DocumentId`, `is missing: BussinessDocType ${docType} must name the document concerned`);
  }
  if (strict) {
    if (checked.documentInfo !== undefined && docType !== 2) {
      throw invalid(`${B}/BussinessDocumentInfo`, 'is only allowed for an update (BussinessDocType 2)');
    }
    if (checked.replacements.length > 0 && docType !== 3) {
      throw invalid(`${B}/ReplacementInfoList`, 'is only allowed for a replacement (BussinessDocType 3)');
    }
    if (docType === 3 && checked.replacements.length === 0) {
      throw invalid(`${B}/ReplacementInfoList`, 'is missing: a replacement (BussinessDocType 3) must list the replaced documents');
    }
  }
  return checked;
}

/** Checks and normalises; `strict` for the builder. */
export function checkTraceHeaderList(list: TraceHeaderList | undefined, strict: boolean): TraceHeaderList {
  const traceHeaders: TraceHeader[] = (list?.traceHeaders ?? []).map((t, i) => ({
    organId: organIdValue(`${P}/TraceHeader[${i + 1}]/OrganId`, t.organId),
    timestamp: checkTimestamp(`${P}/TraceHeader[${i + 1}]/Timestamp`, t.timestamp),
  }));
  const business = list?.business === undefined ? undefined : checkBusiness(list.business, strict);
  return dropUndefined({ traceHeaders, business });
}

export function writeTraceHeaderList(list: TraceHeaderList): XmlElement {
  const q = qualified;
  const b = list.business;
  return element(q('TraceHeaderList'), [
    ...list.traceHeaders.map((t) =>
      element(q('TraceHeader'), [edText('OrganId', t.organId), edText('Timestamp', formatEdxmlTimestamp(t.timestamp))]),
    ),
    b &&
      element(q('Bussiness'), [
        edText('DocumentId', b.documentId),
        edText('BussinessDocType', b.docType),
        edText('BussinessDocReason', b.reason),
        edText('Paper', b.paper),
        writeStaffInfo(b.staffInfo),
        b.documentInfo &&
          element(q('BussinessDocumentInfo'), [
            edText('DocumentInfo', b.documentInfo.documentInfoChanged ? 1 : 0),
            edText('DocumentReceiver', b.documentInfo.receiversChanged ? 1 : 0),
            element(
              q('ReceiverList'),
              b.documentInfo.receivers.map((r) =>
                element(q('Receiver'), [edText('ReceiverType', r.receiverType), edText('OrganId', r.organId)]),
              ),
            ),
          ]),
        b.replacements.length > 0
          ? element(
              q('ReplacementInfoList'),
              b.replacements.map((r) =>
                element(q('ReplacementInfo'), [
                  edText('DocumentId', r.documentId),
                  element(q('OrganIdList'), r.organIds.map((id) => edText('OrganId', id))),
                ]),
              ),
            )
          : undefined,
      ]),
  ]);
}

const trimmedText = (r: EdxmlReader, name: string, aliases: readonly string[] = []): string | undefined => {
  const text = r.optional(name, aliases)?.text().trim();
  return text === '' ? undefined : text;
};

function readBusiness(r: EdxmlReader): Business {
  const typeText = trimmedText(r, 'BussinessDocType', ['BusinessDocType']);
  const paperText = trimmedText(r, 'Paper');
  const info = r.optional('BussinessDocumentInfo', ['BusinessDocumentInfo']);
  const flag = (name: string): boolean => {
    const text = trimmedText(info as EdxmlReader, name);
    return text === undefined ? false : wireFlag((info as EdxmlReader).pathOf(name), text);
  };
  return {
    documentId: r.textOf('DocumentId'),
    // A Bussiness block without a type is a new document (0).
    docType: (typeText === undefined ? 0 : wireInteger(r.pathOf('BussinessDocType'), typeText, 0, 3)) as BusinessDocType,
    reason: r.optional('BussinessDocReason', ['BusinessDocReason'])?.text(),
    paper: paperText === undefined ? undefined : wireInteger(r.pathOf('Paper'), paperText, 0, 65535),
    staffInfo: readStaffInfo(r.optional('StaffInfo')),
    documentInfo: info && {
      documentInfoChanged: flag('DocumentInfo'),
      receiversChanged: flag('DocumentReceiver'),
      receivers: (info.optional('ReceiverList')?.all('Receiver') ?? []).map((rc) => {
        const t = trimmedText(rc, 'ReceiverType');
        if (t === undefined) throw invalid(rc.pathOf('ReceiverType'), 'is missing');
        return { receiverType: wireInteger(rc.pathOf('ReceiverType'), t, 0, 1) as ReceiverType, organId: rc.textOf('OrganId') as string };
      }),
    },
    replacements: (r.optional('ReplacementInfoList')?.all('ReplacementInfo') ?? []).map((ri) => ({
      documentId: ri.textOf('DocumentId') as string,
      organIds: (ri.optional('OrganIdList')?.all('OrganId') ?? []).map((o) => o.text()),
    })),
  };
}

/** Reads TraceHeaderList (path `TraceHeaderList`); absent → empty list. */
export function readTraceHeaderList(r: EdxmlReader | undefined): TraceHeaderList {
  if (r === undefined) return { traceHeaders: [] };
  const traceHeaders = r.all('TraceHeader').map((t) => {
    const text = t.textOf('Timestamp')?.trim();
    if (text === undefined || text === '') throw invalid(t.pathOf('Timestamp'), 'is missing');
    const timestamp = parseEdxmlTimestamp(text);
    if (timestamp === null) throw invalid(t.pathOf('Timestamp'), `"${text}" is not a valid timestamp in the form yyyy/MM/dd HH:mm:ss`);
    return { organId: t.textOf('OrganId') as string, timestamp };
  });
  const businessReader = r.optional('Bussiness', ['Business']);
  const business = businessReader && readBusiness(businessReader);
  return checkTraceHeaderList(dropUndefined({ traceHeaders, business }), false);
}
