// Writes each test certificate onto its SoftHSM2 token next to its key (same CKA_ID).
// Usage (from make-test-pki.sh): node put-certs.mjs MODULE REPO OUT "LABEL|PIN|cert:hexid,…" …
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [module, repo, out, ...tokens] = process.argv.slice(2);
const require = createRequire(path.join(repo, 'package.json'));
const pkcs11js = require('pkcs11js');
// DER TLV at offset: [headerEnd, end]
function tlv(buf, at) {
  let len = buf[at + 1];
  let head = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i += 1) len = len * 256 + buf[at + 2 + i];
    head += n;
  }
  return [head, head + len];
}
// subject, issuer and serial as DER, exactly as in the certificate
function names(der) {
  const [certBody] = tlv(der, 0);
  const [tbsBody] = tlv(der, certBody);
  let at = tbsBody;
  if (der[at] === 0xa0) at = tlv(der, at)[1]; // version
  const serialEnd = tlv(der, at)[1];
  const serial = der.subarray(at, serialEnd);
  at = tlv(der, serialEnd)[1]; // signature algorithm
  const issuerEnd = tlv(der, at)[1];
  const issuer = der.subarray(at, issuerEnd);
  const validityEnd = tlv(der, issuerEnd)[1];
  const subject = der.subarray(validityEnd, tlv(der, validityEnd)[1]);
  return { serial, issuer, subject };
}
const p11 = new pkcs11js.PKCS11();
p11.load(module);
p11.C_Initialize();
try {
  for (const spec of tokens) {
    const [label, pin, keys] = spec.split('|');
    const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === label);
    if (!slot) throw new Error(`token ${label} not found`);
    const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    p11.C_Login(session, pkcs11js.CKU_USER, pin);
    for (const pair of keys.split(',')) {
      const [id, hexid] = pair.split(':');
      const x509 = new crypto.X509Certificate(fs.readFileSync(path.join(out, 'certs', `${id}.cert.pem`)));
      p11.C_CreateObject(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_LABEL, value: id },
        { type: pkcs11js.CKA_ID, value: Buffer.from(hexid, 'hex') },
        { type: pkcs11js.CKA_VALUE, value: x509.raw },
        { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(names(x509.raw).subject) },
        { type: pkcs11js.CKA_ISSUER, value: Buffer.from(names(x509.raw).issuer) },
        { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.from(names(x509.raw).serial) },
      ]);
    }
    p11.C_Logout(session);
    p11.C_CloseSession(session);
  }
} finally {
  p11.C_Finalize();
}
