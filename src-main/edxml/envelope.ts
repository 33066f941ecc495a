/**
 * Opening a received package: the hostile-input checks of xmlReader.ts, then
 * <edXML>/<edXML:edXMLEnvelope>/<edXML:edXMLHeader>, and telling a document package
 * from a status message.
 */
import type { EdxmlLimits } from './constants.js';
import { invalid } from './fail.js';
import { decodeXmlText, EdxmlReader, openEdxmlRoot, parseXmlText } from './xmlReader.js';

export interface OpenedEnvelope {
  /** <edXML>, path ''. */
  root: EdxmlReader;
  /** edXMLEnvelope/edXMLBody, if present. */
  body: EdxmlReader | undefined;
  /** edXMLHeader, rebased to path '' so errors read `MessageHeader/…`. */
  header: EdxmlReader;
}

export function openEnvelope(bytes: Uint8Array, limits: EdxmlLimits): OpenedEnvelope {
  return openEnvelopeText(decodeXmlText(bytes, limits.maxPackageBytes));
}

/** Same as openEnvelope, from text that already passed decodeXmlText. */
export function openEnvelopeText(text: string): OpenedEnvelope {
  const root = openEdxmlRoot(parseXmlText(text));
  const envelope = root.required('edXMLEnvelope');
  const header = new EdxmlReader(envelope.required('edXMLHeader').element, '');
  return { root, body: envelope.optional('edXMLBody'), header };
}

export type MessageKind = 'document' | 'status';

/**
 * `Status` in the header → status message. BKAV also accepts a status inside a
 * `MessageHeader` container: recognised by a StatusCode child and no Subject.
 */
export function messageKind(header: EdxmlReader): MessageKind {
  if (header.optional('Status') !== undefined) {
    if (header.optional('MessageHeader') !== undefined) {
      throw invalid('edXMLHeader', 'holds both MessageHeader and Status; cannot tell a document from a status message');
    }
    return 'status';
  }
  const mh = header.optional('MessageHeader');
  if (mh === undefined) throw invalid('MessageHeader', 'is missing');
  return mh.optional('StatusCode') !== undefined && mh.optional('Subject') === undefined ? 'status' : 'document';
}
