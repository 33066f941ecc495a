/**
 * For the OCSP tests: PDFs signed with the test PKI's keys in software, and a
 * local OCSP responder on 127.0.0.1: each POSTed request is
 * answered by `openssl ocsp -index … -rsigner … -reqin … -respout …` with the test PKI's
 * delegated responder. `index` may name another CA database (an empty one: every
 * certificate "unknown"); `ndays` undefined: answers without nextUpdate.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pemToDer } from '../../src-main/signing/der.js';
import { signPdf } from '../../src-main/signing/pades.js';
import { keyOf, tempDir, type Pki } from './helpers.js';

/** `source` signed (invisibly) by the test key `id` into `dir/<id>.pdf`, the issuing CA in the CMS. */
export async function signedBy(pki: Pki, id: string, source: string, dir: string): Promise<string> {
  const k = keyOf(pki, id);
  const key = crypto.createPrivateKey(fs.readFileSync(k.key));
  const output = path.join(dir, `${id}.pdf`);
  await signPdf({
    input: source,
    output,
    signer: {
      certificate: pemToDer(fs.readFileSync(k.cert, 'utf8'))[0] as Buffer,
      chain: pemToDer(fs.readFileSync(pki.ca.issuing, 'utf8')),
      keyType: key.asymmetricKeyType === 'ec' ? 'ec' : 'rsa',
      sign: async (d) => crypto.sign('sha256', d, key),
    },
  });
  return output;
}

export interface TestOcspResponder {
  url: string;
  /** answers sent so far */
  requests: number;
  /** the CA database answered from (default: the issuing CA's) */
  index: string;
  /** nextUpdate = thisUpdate + ndays; undefined: no nextUpdate */
  ndays: number | undefined;
  /** answer this request file instead of the one received (another certificate, another nonce) */
  substitute?: string;
  /** sign with this certificate and key instead of the delegated responder */
  signer?: { cert: string; key: string };
  close(): Promise<void>;
}

export async function startOcspResponder(pki: Pki): Promise<TestOcspResponder> {
  const work = tempDir('vanthu-ocsp-');
  let n = 0;
  const state: TestOcspResponder = { url: '', requests: 0, index: pki.ca.issuingIndex, ndays: 1, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 65536) chunks.push(c);
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/ocsp-request' || size > 65536) {
        res.writeHead(400).end();
        return;
      }
      n += 1;
      const q = path.join(work, `q${n}.der`);
      const r = path.join(work, `r${n}.der`);
      fs.writeFileSync(q, Buffer.concat(chunks));
      const validity = state.ndays === undefined ? [] : ['-ndays', String(state.ndays)];
      const signer = state.signer ?? { cert: pki.ca.ocsp, key: pki.ca.ocspKey };
      const args = ['ocsp', '-index', state.index, '-rsigner', signer.cert, '-rkey', signer.key, '-CA', pki.ca.issuing, '-reqin', state.substitute ?? q, '-respout', r, ...validity];
      execFile('openssl', args, { timeout: 10_000 }, (error) => {
        if (error || !fs.existsSync(r)) {
          res.writeHead(500).end();
          return;
        }
        state.requests += 1;
        res.writeHead(200, { 'Content-Type': 'application/ocsp-response' }).end(fs.readFileSync(r));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  state.url = `http://127.0.0.1:${port}/ocsp`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(work, { recursive: true, force: true });
  };
  return state;
}
