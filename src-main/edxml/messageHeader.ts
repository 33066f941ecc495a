/**
 * MessageHeader of a document package (§1.3): checks, writer (element order of the
 * VNPT sample / BKAV writer) and reader (order-insensitive, since vendors differ).
 */
import { fieldLengths as len } from './constants.js';
import { formatEdxmlDate } from './dates.js';
import { parseDocumentId } from './documentId.js';
import { checkOrganization, dropUndefined, edText, qualified, readOrganization, writeOrganization } from './commonParts.js';
import { invalid } from './fail.js';
import {
  integerValue,
  isoDateValue,
  noDuplicateOrganIds,
  notInFuture,
  optionalText,
  organIdValue,
  requiredText,
  wireDate,
  wireInteger,
} from './fields.js';
import type { DocumentType, MessageHeader, OtherInfo, Priority, ResponseFor, SignerInfo } from './types.js';
import type { EdxmlReader } from './xmlReader.js';
import { element, type XmlElement } from './xmlWriter.js';

const P = 'MessageHeader';

function texts(path: string, values: readonly (string | undefined)[] | undefined, max: number): string[] {
  if (values === undefined) return [];
  if (!Array.isArray(values)) throw invalid(path, 'must be a list');
  return values.map((v, i) => optionalText(`${path}[${i + 1}]`, v, max)).filter((v): v is string => v !== undefined);
}

function checkResponseFor(path: string, r: ResponseFor): ResponseFor {
  return {
    organId: organIdValue(`${path}/OrganId`, r.organId),
    code: requiredText(`${path}/Code`, r.code, len.responseForCode),
    promulgationDate: isoDateValue(`${path}/PromulgationDate`, r.promulgationDate),
    documentId: requiredText(`${path}/DocumentId`, r.documentId, len.documentId),
  };
}

export interface HeaderCheckOptions {
  now: Date;
  /** Builder: DocumentId must have the `<OrganId>,<yyyy/MM/dd>,<số>/<ký hiệu>` form. */
  standardDocumentId: boolean;
}

/** Checks and normalises a MessageHeader; throws INVALID_INPUT naming the element. */
export function checkMessageHeader(h: MessageHeader, options: HeaderCheckOptions): MessageHeader {
  if (typeof h !== 'object' || h === null) throw invalid(P, 'is missing');
  const from = checkOrganization(`${P}/From`, h.from);
  if (!Array.isArray(h.to) || h.to.length === 0) throw invalid(`${P}/To`, 'is missing: at least one recipient is required');
  const to = h.to.map((org, i) => checkOrganization(`${P}/To[${i + 1}]`, org));
  noDuplicateOrganIds(`${P}/To`, to.map((o) => o.organId));

  const documentId = requiredText(`${P}/DocumentId`, h.documentId, len.documentId);
  if (options.standardDocumentId && parseDocumentId(documentId) === null) {
    throw invalid(`${P}/DocumentId`, `"${documentId}" is not of the form <OrganId>,<yyyy/MM/dd>,<CodeNumber>/<CodeNotation>`);
  }
  if (typeof h.code !== 'object' || h.code === null) throw invalid(`${P}/Code`, 'is missing');
  const codeNumber = requiredText(`${P}/Code/CodeNumber`, h.code.codeNumber, len.codeNumber);
  if (/[/,\s]/.test(codeNumber)) throw invalid(`${P}/Code/CodeNumber`, 'must not contain "/", "," or blanks');
  const codeNotation = requiredText(`${P}/Code/CodeNotation`, h.code.codeNotation, len.codeNotation);
  if (codeNotation.includes(',')) throw invalid(`${P}/Code/CodeNotation`, 'must not contain ","');

  if (typeof h.promulgationInfo !== 'object' || h.promulgationInfo === null) throw invalid(`${P}/PromulgationInfo`, 'is missing');
  const datePath = `${P}/PromulgationInfo/PromulgationDate`;
  const promulgationInfo = dropUndefined({
    place: optionalText(`${P}/PromulgationInfo/Place`, h.promulgationInfo.place, len.place),
    promulgationDate: notInFuture(datePath, isoDateValue(datePath, h.promulgationInfo.promulgationDate), options.now),
  });

  let documentType: DocumentType | undefined;
  if (h.documentType !== undefined) {
    const t = h.documentType;
    documentType = dropUndefined({
      type: integerValue(`${P}/DocumentType/Type`, t.type, 0, 99),
      typeDetail: t.typeDetail === undefined ? undefined : integerValue(`${P}/DocumentType/TypeDetail`, t.typeDetail, 0, 99),
      typeName: optionalText(`${P}/DocumentType/TypeName`, t.typeName, len.typeName),
    });
  }

  let signerInfo: SignerInfo | undefined;
  if (h.signerInfo !== undefined) {
    const s = dropUndefined({
      competence: optionalText(`${P}/SignerInfo/Competence`, h.signerInfo.competence, len.competence),
      position: optionalText(`${P}/SignerInfo/Position`, h.signerInfo.position, len.position),
      fullName: optionalText(`${P}/SignerInfo/FullName`, h.signerInfo.fullName, len.fullName),
    });
    signerInfo = Object.keys(s).length === 0 ? undefined : s;
  }

  let otherInfo: OtherInfo | undefined;
  if (h.otherInfo !== undefined) {
    const o = h.otherInfo;
    const amount = (name: string, v: number | undefined): number | undefined =>
      v === undefined ? undefined : integerValue(`${P}/OtherInfo/${name}`, v, 0, 65535);
    otherInfo = dropUndefined({
      priority: integerValue(`${P}/OtherInfo/Priority`, o.priority, 0, 4) as Priority,
      sphereOfPromulgation: optionalText(`${P}/OtherInfo/SphereOfPromulgation`, o.sphereOfPromulgation, len.sphereOfPromulgation),
      typerNotation: optionalText(`${P}/OtherInfo/TyperNotation`, o.typerNotation, len.typerNotation),
      promulgationAmount: amount('PromulgationAmount', o.promulgationAmount),
      pageAmount: amount('PageAmount', o.pageAmount),
      appendixes: texts(`${P}/OtherInfo/Appendixes/Appendix`, o.appendixes, len.appendix),
    });
  }

  if (h.responseFor !== undefined && !Array.isArray(h.responseFor)) throw invalid(`${P}/ResponseFor`, 'must be a list');
  return dropUndefined({
    from,
    to,
    documentId,
    code: { codeNumber, codeNotation },
    promulgationInfo,
    documentType,
    subject: requiredText(`${P}/Subject`, h.subject, len.subject),
    content: optionalText(`${P}/Content`, h.content, len.content),
    signerInfo,
    dueDate: h.dueDate === undefined ? undefined : isoDateValue(`${P}/DueDate`, h.dueDate),
    toPlaces: texts(`${P}/ToPlaces/Place`, h.toPlaces, len.toPlace),
    otherInfo,
    responseFor: (h.responseFor ?? []).map((r, i) => checkResponseFor(`${P}/ResponseFor[${i + 1}]`, r)),
    steeringType: h.steeringType === undefined ? undefined : integerValue(`${P}/SteeringType`, h.steeringType, 0, 99),
  });
}

const wire = (iso: string | undefined): string | undefined => (iso === undefined ? undefined : (formatEdxmlDate(iso) ?? undefined));

/** Writes a checked header in the order of §1.3. */
export function writeMessageHeader(h: MessageHeader): XmlElement {
  const q = qualified;
  return element(q('MessageHeader'), [
    writeOrganization('From', h.from),
    ...h.to.map((org) => writeOrganization('To', org)),
    edText('DocumentId', h.documentId),
    element(q('Code'), [edText('CodeNumber', h.code.codeNumber), edText('CodeNotation', h.code.codeNotation)]),
    element(q('PromulgationInfo'), [
      edText('Place', h.promulgationInfo.place),
      edText('PromulgationDate', wire(h.promulgationInfo.promulgationDate)),
    ]),
    h.documentType &&
      element(q('DocumentType'), [
        edText('Type', h.documentType.type),
        edText('TypeDetail', h.documentType.typeDetail),
        edText('TypeName', h.documentType.typeName),
      ]),
    edText('Subject', h.subject),
    edText('Content', h.content),
    h.signerInfo &&
      element(q('SignerInfo'), [
        edText('Competence', h.signerInfo.competence),
        edText('Position', h.signerInfo.position),
        edText('FullName', h.signerInfo.fullName),
      ]),
    edText('DueDate', wire(h.dueDate)),
    h.toPlaces.length > 0 ? element(q('ToPlaces'), h.toPlaces.map((p) => edText('Place', p))) : undefined,
    h.otherInfo &&
      element(q('OtherInfo'), [
        edText('Priority', h.otherInfo.priority),
        edText('SphereOfPromulgation', h.otherInfo.sphereOfPromulgation),
        edText('TyperNotation', h.otherInfo.typerNotation),
        edText('PromulgationAmount', h.otherInfo.promulgationAmount),
        edText('PageAmount', h.otherInfo.pageAmount),
        h.otherInfo.appendixes.length > 0
          ? element(q('Appendixes'), h.otherInfo.appendixes.map((a) => edText('Appendix', a)))
          : undefined,
      ]),
    ...h.responseFor.map((r) =>
      element(q('ResponseFor'), [
        edText('OrganId', r.organId),
        edText('Code', r.code),
        edText('PromulgationDate', wire(r.promulgationDate)),
        edText('DocumentId', r.documentId),
      ]),
    ),
    edText('SteeringType', h.steeringType),
  ]);
}

/** Trimmed text of an optional child; empty counts as absent. */
function trimmed(r: EdxmlReader, name: string): string | undefined {
  const text = r.textOf(name)?.trim();
  return text === '' ? undefined : text;
}

const optionalInt = (r: EdxmlReader, name: string, min: number, max: number): number | undefined => {
  const text = trimmed(r, name);
  return text === undefined ? undefined : wireInteger(r.pathOf(name), text, min, max);
};

const optionalDate = (r: EdxmlReader, name: string): string | undefined => {
  const text = trimmed(r, name);
  return text === undefined ? undefined : wireDate(r.pathOf(name), text);
};

const requiredDate = (r: EdxmlReader, name: string): string => {
  const date = optionalDate(r, name);
  if (date === undefined) throw invalid(r.pathOf(name), 'is missing');
  return date;
};

/** Reads a MessageHeader element (path `MessageHeader`) and checks it. */
export function readMessageHeader(r: EdxmlReader, now: Date): MessageHeader {
  const code = r.required('Code');
  const info = r.required('PromulgationInfo');
  const type = r.optional('DocumentType');
  const signer = r.optional('SignerInfo');
  const other = r.optional('OtherInfo');
  const header: MessageHeader = {
    from: readOrganization(r.required('From')),
    to: r.all('To').map(readOrganization),
    documentId: r.textOf('DocumentId') as string,
    code: { codeNumber: code.textOf('CodeNumber') as string, codeNotation: code.textOf('CodeNotation') as string },
    promulgationInfo: { place: info.textOf('Place'), promulgationDate: requiredDate(info, 'PromulgationDate') },
    documentType: type && {
      type: optionalInt(type, 'Type', 0, 99) ?? missing(type.pathOf('Type')),
      typeDetail: optionalInt(type, 'TypeDetail', 0, 99),
      typeName: type.textOf('TypeName'),
    },
    subject: r.textOf('Subject') as string,
    content: r.textOf('Content'),
    signerInfo: signer && {
      competence: signer.textOf('Competence'),
      position: signer.textOf('Position'),
      fullName: signer.textOf('FullName'),
    },
    dueDate: optionalDate(r, 'DueDate'),
    toPlaces: r.optional('ToPlaces')?.all('Place').map((p) => p.text()) ?? [],
    otherInfo: other && {
      // A missing Priority means "thường" (0).
      priority: (optionalInt(other, 'Priority', 0, 4) ?? 0) as Priority,
      sphereOfPromulgation: other.textOf('SphereOfPromulgation'),
      typerNotation: other.textOf('TyperNotation'),
      promulgationAmount: optionalInt(other, 'PromulgationAmount', 0, 65535),
      pageAmount: optionalInt(other, 'PageAmount', 0, 65535),
      appendixes: other.optional('Appendixes')?.all('Appendix').map((a) => a.text()) ?? [],
    },
    responseFor: r.all('ResponseFor').map((rf) => ({
      organId: rf.textOf('OrganId') as string,
      code: rf.textOf('Code') as string,
      promulgationDate: requiredDate(rf, 'PromulgationDate'),
      documentId: rf.textOf('DocumentId') as string,
    })),
    steeringType: optionalInt(r, 'SteeringType', 0, 99),
  };
  return checkMessageHeader(header, { now, standardDocumentId: false });
}

function missing(path: string): never {
  throw invalid(path, 'is missing');
}
