/**
 * A stand-in for the national axis (VDXP) on loopback, as VNPT's SDK talks to it (standards
 * doc §3.2–3.3), written from the doc independently of the client adapter: it recomputes
 * the HMAC over the `XroadVnpt-sign-header` string it receives with the agency's secret,
 * checks every listed header against that JSON, checks `from` = systemid and the SDK's
 * unpadded `hash-file`, routes packages by their edXML addressees (a status to the
 * document's sender), and keeps per agency what is pending until `updateStatus`.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAny } from '../../src-main/edxml/index.js';

export interface Axis {
  url: string;
  /** Packages accepted from senders, in order. */
  sent: Array<{ docId: string; from: string; to: string[]; messagetype: string }>;
  /** Calls refused for a bad signature or an unknown agency. */
  refusedSignatures: number;
  close(): Promise<void>;
}

interface Pending {
  docId: string;
  from: string;
  messagetype: string;
  bytes: Buffer;
}

const ok = (extra: Record<string, unknown> = {}) => ({ status: 'OK', ErrorCode: '0', ErrorDesc: 'Thanh cong', ...extra });
const fail = (code: string, desc: string) => ({ status: 'FAIL', ErrorCode: code, ErrorDesc: desc });

/** The secret the stand-in axis gives an agency (tests derive it from the code). */
export function axisSecret(code: string): string {
  return `bi-mat-tren-truc-${code}`;
}

/** The stand-in axis with these agencies, each with its `axisSecret`. */
export function startAxisFor(...agencies: Array<{ code: string; name: string }>): Promise<Axis> {
  return startAxis(agencies.map((a) => ({ code: a.code, name: a.name, secret: axisSecret(a.code) })));
}

/** `port` 0: any free port. */
export async function startAxis(agencies: Array<{ code: string; name: string; secret: string }>, port = 0): Promise<Axis> {
  const pending = new Map<string, Pending[]>(agencies.map((a) => [a.code, []]));
  const axis: Axis = { url: '', sent: [], refusedSignatures: 0, close: async () => undefined };
  let next = 1;

  /** The caller's parameters, once its signature holds; null when it does not. */
  const verified = (req: http.IncomingMessage): Record<string, string> | null => {
    const json = req.headers['xroadvnpt-sign-header'];
    const hash = req.headers['xroadvnpt-hash-header'];
    const keys = req.headers['xroadvnpt-sign-header-key'];
    if (typeof json !== 'string' || typeof hash !== 'string' || typeof keys !== 'string') return null;
    let signed: Record<string, string>;
    try {
      signed = JSON.parse(json) as Record<string, string>;
    } catch {
      return null;
    }
    const agency = agencies.find((a) => a.code === signed['XroadVnpt-systemid']);
    if (!agency) return null;
    const expected = crypto.createHmac('sha256', agency.secret).update(json).digest('hex');
    if (expected.length !== hash.length || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(hash))) return null;
    const params: Record<string, string> = {};
    for (const name of keys.split(';')) {
      if (!name.startsWith('XroadVnpt-') || req.headers[name.toLowerCase()] !== signed[name]) return null;
      params[name.slice('XroadVnpt-'.length)] = signed[name] ?? '';
    }
    return params;
  };

  const unpaddedSha256 = (bytes: Buffer): string => Array.from(crypto.createHash('sha256').update(bytes).digest(), (b) => b.toString(16)).join('');

  const handle = async (req: http.IncomingMessage, body: Buffer): Promise<unknown> => {
    const params = verified(req);
    if (!params) {
      axis.refusedSignatures += 1;
      return null;
    }
    const me = params['systemid'] ?? '';
    switch (req.url) {
      case '/getAgenciesList':
        return ok({ data: agencies.map((a, i) => ({ id: i + 1, code: a.code, name: a.name, pid: 0, mail: '' })) });
      case '/getReceivedEdocList':
        return ok({ data: (pending.get(me) ?? []).filter((p) => p.messagetype === params['messagetype']).map((p) => ({ docId: p.docId, from: p.from, to: me })) });
      case '/getEdoc': {
        const p = (pending.get(me) ?? []).find((x) => x.docId === params['docId']);
        return p ? ok({ data: p.bytes.toString('base64') }) : fail('404', 'Khong tim thay van ban');
      }
      case '/updateStatus': {
        const list = pending.get(me) ?? [];
        const at = list.findIndex((x) => x.docId === params['docid']);
        if (at < 0) return fail('404', 'Khong tim thay van ban');
        list.splice(at, 1);
        return ok();
      }
      case '/sendEdoc': {
        if (params['from'] !== me) return fail('9', `Don vi gui ${params['from'] ?? ''} khong dung voi ma da dang ky: ${me}`);
        const form = await new Response(body, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
        const file = form.get('file_doc');
        if (!(file instanceof Blob)) return fail('1', 'Thieu file_doc');
        const bytes = Buffer.from(await file.arrayBuffer());
        if (req.headers['hash-file'] !== unpaddedSha256(bytes)) return fail('2', 'Sai hash-file');
        const parsed = parseAny(bytes);
        const to = parsed.kind === 'document' ? parsed.document.header.to.map((t) => t.organId) : [parsed.status.responseFor.organId];
        const unknown = to.find((code) => !pending.has(code));
        if (unknown) return fail('3', `Khong tim thay don vi nhan ${unknown}`);
        const docId = `vdxp-${next++}`;
        for (const code of to) pending.get(code)?.push({ docId: `${docId}-${code}`, from: me, messagetype: params['messagetype'] ?? 'edoc', bytes });
        axis.sent.push({ docId, from: me, to, messagetype: params['messagetype'] ?? 'edoc' });
        return ok({ DocId: docId });
      }
      default:
        return fail('404', 'Khong co dich vu');
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks)).then(
        (answer) => {
          res.writeHead(answer === null ? 401 : 200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(answer ?? fail('401', 'Sai chu ky')));
        },
        (error: unknown) => {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(fail('500', String(error))));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  axis.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  axis.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return axis;
}
