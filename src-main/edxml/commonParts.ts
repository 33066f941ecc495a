/**
 * Blocks shared by document packages and status messages: Organization (From/To),
 * StaffInfo and the opaque XML-DSig Signature. Each has a writer that checks the
 * model and a reader that checks the wire, both naming the element path.
 */
import { edxmlNamespace, fieldLengths as len } from './constants.js';
import { invalid } from './fail.js';
import { emailValue, optionalText, organIdValue } from './fields.js';
import type { OpaqueSignature, Organization, StaffInfo } from './types.js';
import { decodeXmlText, type EdxmlReader, parseXmlText, serializeElement } from './xmlReader.js';
import { element, textElement, type XmlElement, type XmlRaw } from './xmlWriter.js';

export const qualified = (local: string): string => `edXML:${local}`;

/** Writes edXML:<local> text; undefined → omitted. */
export const edText = (local: string, value: string | number | undefined): XmlElement | undefined =>
  textElement(qualified(local), value);

export function checkOrganization(path: string, org: Organization): Organization {
  if (typeof org !== 'object' || org === null) throw invalid(path, 'is missing');
  return dropUndefined({
    organId: organIdValue(`${path}/OrganId`, org.organId),
    organizationInCharge: optionalText(`${path}/OrganizationInCharge`, org.organizationInCharge, len.organizationInCharge),
    organName: optionalText(`${path}/OrganName`, org.organName, len.organName),
    organAdd: optionalText(`${path}/OrganAdd`, org.organAdd, len.organAdd),
    email: emailValue(`${path}/Email`, org.email, len.email),
    telephone: optionalText(`${path}/Telephone`, org.telephone, len.telephone),
    fax: optionalText(`${path}/Fax`, org.fax, len.fax),
    website: optionalText(`${path}/Website`, org.website, len.website),
  });
}

/** Element order of the VNPT sample / BKAV writer. */
export function writeOrganization(local: 'From' | 'To', org: Organization): XmlElement {
  return element(qualified(local), [
    edText('OrganId', org.organId),
    edText('OrganizationInCharge', org.organizationInCharge),
    edText('OrganName', org.organName),
    edText('OrganAdd', org.organAdd),
    edText('Email', org.email),
    edText('Telephone', org.telephone),
    edText('Fax', org.fax),
    edText('Website', org.website),
  ]);
}

export function readOrganization(r: EdxmlReader): Organization {
  return checkOrganization(r.path, {
    organId: r.textOf('OrganId') as string, // undefined is reported as missing
    organizationInCharge: r.textOf('OrganizationInCharge'),
    organName: r.textOf('OrganName'),
    organAdd: r.textOf('OrganAdd'),
    email: r.textOf('Email'),
    telephone: r.textOf('Telephone'),
    fax: r.textOf('Fax'),
    website: r.textOf('Website'),
  });
}

export function checkStaffInfo(path: string, staff: StaffInfo | undefined): StaffInfo | undefined {
  if (staff === undefined) return undefined;
  const checked = dropUndefined({
    department: optionalText(`${path}/Department`, staff.department, len.staffField),
    staff: optionalText(`${path}/Staff`, staff.staff, len.staffField),
    mobile: optionalText(`${path}/Mobile`, staff.mobile, len.mobile),
    email: emailValue(`${path}/Email`, staff.email, len.email),
  });
  return Object.keys(checked).length === 0 ? undefined : checked;
}

export function writeStaffInfo(staff: StaffInfo | undefined): XmlElement | undefined {
  if (staff === undefined) return undefined;
  return element(qualified('StaffInfo'), [
    edText('Department', staff.department),
    edText('Staff', staff.staff),
    edText('Mobile', staff.mobile),
    edText('Email', staff.email),
  ]);
}

export function readStaffInfo(r: EdxmlReader | undefined): StaffInfo | undefined {
  if (r === undefined) return undefined;
  return checkStaffInfo(r.path, {
    department: r.textOf('Department'),
    staff: r.textOf('Staff'),
    mobile: r.textOf('Mobile'),
    email: r.textOf('Email'),
  });
}

/**
 * Checks an opaque signature given by the caller: well-formed, no DTD, root element
 * `Signature`. Returns it re-serialised so that what is written is what is read back.
 */
export function checkSignature(path: string, signature: OpaqueSignature | undefined, maxChars: number): OpaqueSignature | undefined {
  if (signature === undefined) return undefined;
  if (typeof signature.xml !== 'string' || signature.xml.length > maxChars) {
    throw invalid(path, `must be XML text of at most ${maxChars} characters`);
  }
  const text = decodeXmlText(new TextEncoder().encode(signature.xml), maxChars * 4);
  if (/^\s*<\?xml/.test(text)) throw invalid(path, 'must be an element without an XML declaration');
  const root = parseXmlText(text, path).documentElement;
  if (!root || root.localName !== 'Signature') throw invalid(path, 'must be a <Signature> element');
  return { xml: serializeElement(root) };
}

export function writeSignature(signature: OpaqueSignature | undefined): XmlRaw | undefined {
  return signature === undefined ? undefined : { raw: signature.xml };
}

/**
 * The Signature element of edXMLHeader, in whatever namespace it was sent (the VNPT
 * sample writes it unprefixed, hence in the edXML namespace).
 */
export function readSignature(header: EdxmlReader, maxChars: number): OpaqueSignature | undefined {
  let found: OpaqueSignature | undefined;
  for (let node = header.element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== node.ELEMENT_NODE) continue;
    const el = node as unknown as Parameters<typeof serializeElement>[0];
    if (el.localName !== 'Signature') continue;
    if (found !== undefined) throw invalid(header.pathOf('Signature'), 'occurs more than once');
    const xml = serializeElement(el);
    if (xml.length > maxChars) throw invalid(header.pathOf('Signature'), `is longer than ${maxChars} characters`);
    found = { xml };
  }
  return found;
}

export function writeEnvelopeRoot(header: XmlElement, body: XmlElement | undefined, after: XmlElement | undefined): XmlElement {
  return element('edXML', [element(qualified('edXMLEnvelope'), [header, body], { 'xmlns:edXML': edxmlNamespace }), after], {
    xmlns: edxmlNamespace,
  });
}

/** Removes keys whose value is undefined, so parsed objects deep-equal built ones. */
export function dropUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}
