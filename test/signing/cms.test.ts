/**
 * CMS with Vietnamese (UTF8String) names: node-forge as shipped re-encodes the
 * issuer inside SignerInfo and openssl cannot find the signer; our CMS embeds the
 * certificate and its issuer Name byte for byte, and openssl verifies it.
 * Plus the parser pieces the signer and verifier stand on.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSignedData, signedAttributes, signedData } from '../../src-main/signing/cms.js';
import { certParts, nameToString, pemToDer } from '../../src-main/signing/der.js';
import { Lexer, serialize, textString, type PdfDict, type PdfRef, type PdfString } from '../../src-main/signing/pdf/objects.js';
import { parsePdfDate, pdfDate, vnIso } from '../../src-main/signing/time.js';
import { keyOf, makePki, tempDir, type Pki } from './helpers.js';

let pki: Pki;
let dir: string;
beforeAll(() => {
  pki = makePki();
  dir = tempDir();
  fs.writeFileSync(path.join(dir, 'content.bin'), 'nội dung được ký');
});
afterAll(() => {
  fs.rmSync(pki.dir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A dotted OID from node-forge's name table (typed as an open index, so possibly undefined). */
function forgeOid(name: string): string {
  const dotted = forge.pki.oids[name];
  if (dotted === undefined) throw new Error(`node-forge knows no OID ${name}`);
  return dotted;
}

function opensslVerifies(cms: Buffer): { ok: boolean; output: string } {
  fs.writeFileSync(path.join(dir, 'sig.der'), cms);
  const r = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'sig.der'), '-content', path.join(dir, 'content.bin'), '-CAfile', pki.ca.chain, '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

describe('CMS with UTF8String names', () => {
  it('node-forge as shipped produces a CMS openssl rejects (the bug we work around)', () => {
    const k = keyOf(pki, 'nguyenvana');
    const cert = forge.pki.certificateFromPem(fs.readFileSync(k.cert, 'utf8'));
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(fs.readFileSync(path.join(dir, 'content.bin')).toString('binary'));
    p7.addCertificate(cert);
    p7.addSigner({
      key: forge.pki.privateKeyFromPem(fs.readFileSync(k.key, 'utf8')),
      certificate: cert,
      digestAlgorithm: forgeOid('sha256'),
      authenticatedAttributes: [{ type: forgeOid('contentType'), value: forgeOid('data') }, { type: forgeOid('messageDigest') }],
    });
    p7.sign({ detached: true });
    const der = Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
    const r = opensslVerifies(der);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/signer certificate not found/);
  });

  it.each(['nguyenvana', 'tranthibinh'])('our CMS (%s) verifies with openssl and names the exact issuer DER', (id) => {
    const k = keyOf(pki, id);
    const certDer = pemToDer(fs.readFileSync(k.cert, 'utf8'))[0] as Buffer;
    const key = crypto.createPrivateKey(fs.readFileSync(k.key));
    const digest = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'content.bin'))).digest();
    const attrs = signedAttributes(digest, certDer);
    const cms = signedData({
      signedAttrs: attrs,
      signature: crypto.sign('sha256', attrs, key),
      certificate: certDer,
      chain: pemToDer(fs.readFileSync(pki.ca.issuing, 'utf8')),
      keyType: key.asymmetricKeyType === 'ec' ? 'ec' : 'rsa',
    });
    const r = opensslVerifies(cms);
    expect(r.ok, r.output).toBe(true);
    const parsed = parseSignedData(cms);
    expect(parsed.certificates[0]?.equals(certDer)).toBe(true);
    expect(parsed.signerInfos[0]?.issuer.equals(certParts(certDer).issuer)).toBe(true);
    expect(nameToString(certParts(certDer).issuer)).toContain('Ban Cơ yếu Chính phủ');
  });
});

describe('PDF objects and times', () => {
  it('parses and writes back dictionaries, strings, references', () => {
    const src = Buffer.from('<</Type /Annot /T (a\\(b\\)) /V <FEFF0056> /P 12 0 R /Rect [0 -1.5 3 4] /N#20x true /Z null>>');
    const v = new Lexer(src).value() as PdfDict;
    expect(v.name('Type')).toBe('Annot');
    expect((v.get('T') as PdfString).text()).toBe('a(b)');
    expect((v.get('V') as PdfString).text()).toBe('V');
    expect((v.get('P') as PdfRef).num).toBe(12);
    expect(v.get('Rect')).toEqual([0, -1.5, 3, 4]);
    expect(v.get('N x')).toBe(true);
    expect(serialize(new Lexer(serialize(v)).value()).equals(serialize(v))).toBe(true);
    expect(textString('Nguyễn Văn A').text()).toBe('Nguyễn Văn A');
  });

  it('writes times with the Vietnam offset', () => {
    const d = new Date('2025-03-05T07:30:12Z');
    expect(vnIso(d)).toBe('2025-03-05T14:30:12+07:00');
    expect(pdfDate(d)).toBe("D:20250305143012+07'00'");
    expect(parsePdfDate(pdfDate(d))?.getTime()).toBe(d.getTime());
  });
});
