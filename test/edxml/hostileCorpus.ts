/**
 * HOSTILE CORPUS: packages an attacker or a broken sender could deliver, each with
 * the error the codec must answer with. Generated from the skeleton fixture so that
 * every case differs from a valid package by exactly one defect.
 */
import zlib from 'node:zlib';
import type { EdxmlLimits } from '../../src-main/edxml/index.js';
import { mutate, skeletonXml } from './skeleton.js';
import { craftZip } from './zipCraft.js';

export interface HostileCase {
  name: string;
  bytes: Uint8Array;
  limits?: Partial<EdxmlLimits>;
  code: 'INVALID_INPUT' | 'FILE_TOO_LARGE';
  /** Must match the message: names the element or the defence that fired. */
  message: RegExp;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const ns = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
const payloadOf = /(<edXML:ContentTransferEncoded xmlns:edXML="[^"]*">)[A-Za-z0-9+/=\n]*(<\/edXML:ContentTransferEncoded>\s*<\/Attachment>\s*<Attachment>)/;

/** Replaces the first (zipped .doc) payload. */
function withFirstPayload(base64: string): string {
  return mutate(skeletonXml(), payloadOf, (_m, open = '', close = '') => `${open}${base64}${close}`);
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

function withSubject(text: string): string {
  return mutate(skeletonXml(), /<edXML:Subject>[^<]*<\/edXML:Subject>/, `<edXML:Subject>${text}</edXML:Subject>`);
}

function withFirstName(name: string): string {
  return mutate(skeletonXml(), '<AttachmentName>cv7816.doc</AttachmentName>', `<AttachmentName>${name}</AttachmentName>`);
}

export function hostileCorpus(): HostileCase[] {
  const xml = skeletonXml();
  const afterDecl = (insert: string): string => mutate(xml, '<?xml version="1.0" encoding="UTF-8"?>\n', `<?xml version="1.0" encoding="UTF-8"?>\n${insert}`);
  const bomb = zlib.deflateRawSync(Buffer.alloc(16 * 1024 * 1024)); // 16 MiB of zeros → ~16 KiB
  const bombZip = (declaredSize?: number): Uint8Array => {
    // Same shape as craftZip but with the pre-compressed bomb, so the generator stays cheap.
    const zip = craftZip([{ name: 'bomb.doc', data: new Uint8Array(0), method: 8 }]);
    const buf = Buffer.from(zip);
    const emptyDeflate = zlib.deflateRawSync(Buffer.alloc(0));
    const local = buf.subarray(0, 30 + 'bomb.doc'.length);
    const rest = buf.subarray(local.length + emptyDeflate.length);
    const out = Buffer.concat([local, bomb, rest]);
    // Fix sizes in the data descriptor, central directory and EOCD offset.
    const ddAt = local.length + bomb.length;
    const size = declaredSize ?? 16 * 1024 * 1024;
    out.writeUInt32LE(bomb.length, ddAt + 8);
    out.writeUInt32LE(size, ddAt + 12);
    const cdAt = ddAt + 16;
    out.writeUInt32LE(zlib.crc32(Buffer.alloc(16 * 1024 * 1024)), cdAt + 16);
    out.writeUInt32LE(bomb.length, cdAt + 20);
    out.writeUInt32LE(size, cdAt + 24);
    out.writeUInt32LE(cdAt, out.length - 22 + 16);
    return new Uint8Array(out);
  };

  return [
    // --- DTD-based attacks: refused before xmldom sees them
    {
      name: 'XXE with a SYSTEM entity',
      bytes: enc(afterDecl('<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n').replace('V/v hướng dẫn', '&xxe;')),
      code: 'INVALID_INPUT',
      message: /DOCTYPE or ENTITY/,
    },
    {
      name: 'billion laughs',
      bytes: enc(
        afterDecl(
          '<!DOCTYPE edXML [<!ENTITY lol "lol">' +
            Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
            ']>\n',
        ).replace('V/v hướng dẫn', '&lol9;'),
      ),
      code: 'INVALID_INPUT',
      message: /DOCTYPE or ENTITY/,
    },
    {
      name: 'external DTD, lower case, after a BOM',
      bytes: new Uint8Array([0xef, 0xbb, 0xbf, ...enc(afterDecl('<!doctype edXML SYSTEM "http://evil.example/x.dtd">\n'))]),
      code: 'INVALID_INPUT',
      message: /DOCTYPE or ENTITY/,
    },
    // --- sizes
    {
      name: 'package larger than the limit',
      bytes: enc(xml),
      limits: { maxPackageBytes: 2048 },
      code: 'FILE_TOO_LARGE',
      message: /package is \d+ bytes, more than the limit of 2048/,
    },
    {
      name: 'huge Base64 beyond the attachment limit',
      bytes: enc(withFirstPayload('QUFB'.repeat(512 * 1024))), // 2 MiB of Base64 → 1.5 MiB
      limits: { maxAttachmentBytes: 64 * 1024 },
      code: 'FILE_TOO_LARGE',
      message: /AttachmentEncoded\/Attachment\[1\]\/ContentTransferEncoded decodes to 1572864 bytes/,
    },
    {
      name: 'zip bomb declared honestly in the central directory',
      bytes: enc(withFirstPayload(b64(bombZip()))),
      code: 'FILE_TOO_LARGE',
      limits: { maxAttachmentBytes: 1024 * 1024 },
      message: /ContentTransferEncoded unzips to 16777216 bytes/,
    },
    {
      name: 'zip bomb with a lying central directory (default limits)',
      bytes: enc(withFirstPayload(b64(bombZip(1000)))),
      code: 'FILE_TOO_LARGE',
      message: /ContentTransferEncoded inflates beyond its declared size of 1000 bytes/,
    },
    {
      name: 'too many attachments',
      bytes: enc(xml),
      limits: { maxAttachments: 1 },
      code: 'INVALID_INPUT',
      message: /AttachmentEncoded has 2 attachments, more than the limit of 1/,
    },
    // --- attachment names
    { name: 'path traversal (/)', bytes: enc(withFirstName('../../etc/cron.d/evil')), code: 'INVALID_INPUT', message: /Attachment\[1\]\/AttachmentName .*path separator/ },
    { name: 'path traversal (\\)', bytes: enc(withFirstName('..\\..\\Startup\\evil.doc')), code: 'INVALID_INPUT', message: /Attachment\[1\]\/AttachmentName .*path separator/ },
    { name: 'absolute Windows path', bytes: enc(withFirstName('C:\\Windows\\win.ini')), code: 'INVALID_INPUT', message: /AttachmentName .*path separator/ },
    { name: 'dot-dot name', bytes: enc(withFirstName('..')), code: 'INVALID_INPUT', message: /AttachmentName ".." is not a file name/ },
    { name: 'reserved name CON.doc', bytes: enc(withFirstName('CON.doc')), code: 'INVALID_INPUT', message: /AttachmentName "CON.doc" is a reserved Windows device name/ },
    { name: 'reserved name with trailing dot', bytes: enc(withFirstName('nul.')), code: 'INVALID_INPUT', message: /AttachmentName "nul." is a reserved Windows device name/ },
    { name: 'reserved name lpt1.txt', bytes: enc(withFirstName('lpt1.txt')), code: 'INVALID_INPUT', message: /reserved Windows device name/ },
    { name: 'bidi override spoofing', bytes: enc(withFirstName('hoadon\u202Ecod.exe')), code: 'INVALID_INPUT', message: /AttachmentName contains control or bidirectional-override/ },
    { name: 'over-long name', bytes: enc(withFirstName(`${'a'.repeat(300)}.doc`)), code: 'INVALID_INPUT', message: /AttachmentName is longer than/ },
    // --- namespace
    {
      name: 'wrong namespace (LLM-style builder)',
      bytes: enc(mutate(xml, `<edXML xmlns="${ns}">`, '<edXML xmlns="http://www.go.vn/eDoc">')),
      code: 'INVALID_INPUT',
      message: /edXML: edXML is in namespace http:\/\/www\.go\.vn\/eDoc, expected http:\/\/www\.mic\.gov\.vn\/TBT\/QCVN_102_2016/,
    },
    {
      name: 'no namespace at all',
      bytes: enc(mutate(xml, `<edXML xmlns="${ns}">`, '<edXML>')),
      code: 'INVALID_INPUT',
      message: /edXML: edXML is in namespace \(none\)/,
    },
    {
      name: 'header element in a foreign namespace',
      bytes: enc(mutate(xml, '<edXML:Subject>', '<edXML:Subject xmlns:edXML="urn:other">')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/Subject is in namespace urn:other/,
    },
    // --- required fields and lengths
    {
      name: 'missing From',
      bytes: enc(mutate(xml, /<edXML:From>[\s\S]*?<\/edXML:From>/, '')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/From is missing/,
    },
    {
      name: 'From without OrganId',
      bytes: enc(mutate(xml, '<edXML:OrganId>000.00.00.G17</edXML:OrganId>', '')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/From\/OrganId is missing/,
    },
    {
      name: 'malformed OrganId',
      bytes: enc(mutate(xml, '<edXML:OrganId>000.00.00.H41</edXML:OrganId>', '<edXML:OrganId>H41</edXML:OrganId>')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/To\[2\]\/OrganId "H41" is not an agency code/,
    },
    {
      name: 'no recipient',
      bytes: enc(mutate(xml, /<edXML:To>[\s\S]*<\/edXML:To>/, '')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/To is missing/,
    },
    {
      name: 'duplicate recipients',
      bytes: enc(mutate(xml, '<edXML:OrganId>000.00.00.H41</edXML:OrganId>', '<edXML:OrganId>000.00.00.G22</edXML:OrganId>')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/To\[2\]\/OrganId duplicates recipient 000\.00\.00\.G22/,
    },
    { name: 'missing DocumentId', bytes: enc(mutate(xml, /<edXML:DocumentId>[^<]*<\/edXML:DocumentId>/, '')), code: 'INVALID_INPUT', message: /MessageHeader\/DocumentId is missing/ },
    { name: 'oversized Subject', bytes: enc(withSubject('đ'.repeat(501))), code: 'INVALID_INPUT', message: /MessageHeader\/Subject is longer than 500 characters/ },
    { name: 'empty Subject', bytes: enc(withSubject('  ')), code: 'INVALID_INPUT', message: /MessageHeader\/Subject is empty/ },
    {
      name: 'two Subjects',
      bytes: enc(mutate(xml, '<edXML:Content>', '<edXML:Subject>Trích yếu khác</edXML:Subject><edXML:Content>')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/Subject occurs more than once/,
    },
    {
      name: 'oversized CodeNumber',
      bytes: enc(mutate(xml, '<edXML:CodeNumber>7816</edXML:CodeNumber>', '<edXML:CodeNumber>123456789012</edXML:CodeNumber>')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/Code\/CodeNumber is longer than 11 characters/,
    },
    {
      name: 'oversized CodeNotation',
      bytes: enc(mutate(xml, '<edXML:CodeNotation>BXD-VP</edXML:CodeNotation>', `<edXML:CodeNotation>${'Đ'.repeat(31)}</edXML:CodeNotation>`)),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/Code\/CodeNotation is longer than 30 characters/,
    },
    {
      name: 'promulgation date in the future',
      bytes: enc(mutate(xml, '<edXML:PromulgationDate>2019/01/16', '<edXML:PromulgationDate>2099/01/16')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/PromulgationInfo\/PromulgationDate 2099-01-16 is in the future/,
    },
    {
      name: 'impossible promulgation date',
      bytes: enc(mutate(xml, '<edXML:PromulgationDate>2019/01/16', '<edXML:PromulgationDate>2019/02/30')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/PromulgationInfo\/PromulgationDate "2019\/02\/30" is not a valid date/,
    },
    {
      name: 'Priority out of range',
      bytes: enc(mutate(xml, '<edXML:Priority>0</edXML:Priority>', '<edXML:Priority>5</edXML:Priority>')),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/OtherInfo\/Priority must be an integer from 0 to 4/,
    },
    {
      name: 'legacy dd/MM/yyyy timestamp',
      bytes: enc(mutate(xml, '2018/09/28 00:00:00', '28/09/2018 00:00:00')),
      code: 'INVALID_INPUT',
      message: /TraceHeaderList\/TraceHeader\[1\]\/Timestamp "28\/09\/2018 00:00:00" is not a valid timestamp/,
    },
    {
      name: 'BussinessDocType out of range',
      bytes: enc(mutate(xml, '<edXML:BussinessDocType>0<', '<edXML:BussinessDocType>7<')),
      code: 'INVALID_INPUT',
      message: /TraceHeaderList\/Bussiness\/BussinessDocType must be an integer from 0 to 3/,
    },
    {
      name: 'recall without the recalled DocumentId',
      bytes: enc(mutate(xml, '<edXML:BussinessDocType>0<', '<edXML:BussinessDocType>1<')),
      code: 'INVALID_INPUT',
      message: /TraceHeaderList\/Bussiness\/DocumentId is missing/,
    },
    // --- encoding and well-formedness
    {
      name: 'invalid UTF-8 bytes',
      bytes: (() => {
        const b = enc(xml);
        const at = Buffer.from(b).indexOf(Buffer.from('V/v'));
        return new Uint8Array([...b.subarray(0, at), 0xc3, 0x28, 0xff, ...b.subarray(at)]);
      })(),
      code: 'INVALID_INPUT',
      message: /package is not valid UTF-8/,
    },
    {
      name: 'overlong UTF-8 encoding of "<"',
      bytes: (() => {
        const b = enc(xml);
        const at = Buffer.from(b).indexOf(Buffer.from('V/v'));
        return new Uint8Array([...b.subarray(0, at), 0xc0, 0xbc, ...b.subarray(at)]);
      })(),
      code: 'INVALID_INPUT',
      message: /package is not valid UTF-8/,
    },
    {
      name: 'declared UTF-16',
      bytes: enc(mutate(xml, 'encoding="UTF-8"', 'encoding="UTF-16"')),
      code: 'INVALID_INPUT',
      message: /declares encoding "UTF-16"/,
    },
    { name: 'raw control character', bytes: enc(withSubject('a\u0001b')), code: 'INVALID_INPUT', message: /control character U\+0001/ },
    { name: 'control character as a reference', bytes: enc(withSubject('a&#1;b')), code: 'INVALID_INPUT', message: /MessageHeader\/Subject contains a character that XML does not allow/ },
    { name: 'unknown entity', bytes: enc(withSubject('a&nbsp;b')), code: 'INVALID_INPUT', message: /package is not well-formed XML \(error: entity not found:&nbsp;\)/ },
    { name: 'unclosed element', bytes: enc(mutate(xml, '</edXML:Subject>', '')), code: 'INVALID_INPUT', message: /package is not well-formed XML \(fatalError: Opening and ending tag mismatch/ },
    { name: 'truncated package', bytes: enc(xml.slice(0, 2000)), code: 'INVALID_INPUT', message: /package is not well-formed XML/ },
    { name: 'two root elements', bytes: enc(`${xml}<edXML xmlns="${ns}"/>`), code: 'INVALID_INPUT', message: /package is not well-formed XML/ },
    {
      name: 'undeclared prefix (the doc skeleton taken literally)',
      bytes: enc(xml.replace(/ xmlns:edXML="[^"]*">(?=[A-Za-z0-9+/=\n]*<\/edXML:ContentTransferEncoded)/g, '>')),
      code: 'INVALID_INPUT',
      message: /package is not well-formed XML/,
    },
    { name: 'empty input', bytes: new Uint8Array(0), code: 'INVALID_INPUT', message: /package is not well-formed XML/ },
    { name: 'not XML at all', bytes: enc('%PDF-1.7 this is not edXML'), code: 'INVALID_INPUT', message: /package is not well-formed XML/ },
    {
      name: 'deeply nested elements inside Subject',
      bytes: enc(withSubject('<x>'.repeat(5000) + '</x>'.repeat(5000))),
      code: 'INVALID_INPUT',
      message: /MessageHeader\/Subject must contain text only/,
    },
    // --- payloads
    { name: 'Base64 with foreign characters', bytes: enc(withFirstPayload('UEsD$$$$')), code: 'INVALID_INPUT', message: /Attachment\[1\]\/ContentTransferEncoded is not valid Base64 \(unexpected character\)/ },
    { name: 'Base64 with bad length', bytes: enc(withFirstPayload('UEsDB')), code: 'INVALID_INPUT', message: /Attachment\[1\]\/ContentTransferEncoded is not valid Base64 \(length is not a multiple of 4\)/ },
    { name: 'Base64 with non-zero padding bits', bytes: enc(withFirstPayload('QR==')), code: 'INVALID_INPUT', message: /ContentTransferEncoded is not valid Base64 \(non-zero padding bits\)/ },
    { name: 'application/zip that is no ZIP', bytes: enc(withFirstPayload(b64(enc('just text, no zip')))), code: 'INVALID_INPUT', message: /ContentTransferEncoded is declared application\/zip but is not a ZIP archive/ },
    {
      name: 'ZIP with two files',
      bytes: enc(withFirstPayload(b64(craftZip([{ name: 'a.doc', data: enc('a') }, { name: 'b.exe', data: enc('b') }])))),
      code: 'INVALID_INPUT',
      message: /ContentTransferEncoded is a ZIP archive with 2 files; exactly one is expected/,
    },
    {
      name: 'ZIP with a wrong CRC',
      bytes: enc(withFirstPayload(b64(craftZip([{ name: 'a.doc', data: enc('nội dung'), declaredCrc: 12345 }])))),
      code: 'INVALID_INPUT',
      message: /ContentTransferEncoded is a damaged ZIP archive \(CRC mismatch\)/,
    },
    {
      name: 'payload missing',
      bytes: enc(mutate(xml, /<edXML:ContentTransferEncoded[^>]*>[A-Za-z0-9+/=\n]*<\/edXML:ContentTransferEncoded>/, '')),
      code: 'INVALID_INPUT',
      message: /AttachmentEncoded\/Attachment\[1\]\/ContentTransferEncoded is missing/,
    },
    {
      name: 'payload not listed in the manifest',
      bytes: enc(mutate(xml, '<ContentId>a1b2c3d4-0002</ContentId>', '<ContentId>cid:smuggled</ContentId>')),
      code: 'INVALID_INPUT',
      message: /AttachmentEncoded\/Attachment\[2\]\/ContentId "smuggled" is not listed in edXMLBody\/edXMLManifest/,
    },
    {
      name: 'duplicate ContentId',
      bytes: enc(mutate(xml, '<ContentId>a1b2c3d4-0002</ContentId>', '<ContentId>a1b2c3d4-0001</ContentId>')),
      code: 'INVALID_INPUT',
      message: /AttachmentEncoded\/Attachment\[2\]\/ContentId "a1b2c3d4-0001" is used by two attachments/,
    },
  ];
}
