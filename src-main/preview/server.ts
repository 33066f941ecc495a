/**
 * The PREVIEW HOST: plain Node, never packaged. Serves `dist/renderer` on
 * 127.0.0.1 and the same handlers as the Electron IPC through `dispatch`, as
 * `POST /api/<channel>` (JSON in, JSON Result out). Every API call needs the
 * per-run token; Host and Origin must be the server's own (DNS rebinding, CSRF).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dispatch } from '../api/dispatch.js';
import type { ErrorCode, Result } from '../api/errors.js';
import { openServices, type ServiceOptions } from '../app/services.js';
import { contentSecurityPolicy, mimeTypeOf, rendererDir, resolveAsset } from '../app/rendererAssets.js';
import { createLogger } from '../log.js';
import { bridgePath, bridgeScript, injectBridge, tokenHeader } from './bridge.js';

const log = createLogger('preview');

const maxBodyBytes = 80 * 1024 * 1024;
const apiPrefix = '/api/';
const indexFile = path.join(rendererDir, 'index.html');

const securityHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export interface PreviewHost {
  /** The page to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startPreviewHost(options: { dataDir: string; port?: number; services?: Omit<ServiceOptions, 'dataDir' | 'host'> }): Promise<PreviewHost> {
  const services = openServices({ ...options.services, dataDir: options.dataDir, host: 'preview' });
  const token = randomBytes(32).toString('hex');
  const tokenDigest = digest(token);
  const bridge = bridgeScript();
  let port = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error('request failed', { error: error instanceof Error ? error.name : 'unknown' });
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const ownHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    const host = request.headers.host ?? '';
    if (!ownHosts.includes(host)) return send(response, 421, 'text/plain; charset=utf-8', 'Misdirected request');
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) return sendResult(response, 403, 'FORBIDDEN', 'Foreign origin');

    const { pathname } = new URL(request.url ?? '/', `http://${host}`);
    if (pathname.startsWith(apiPrefix)) return serveApi(request, response, pathname.slice(apiPrefix.length));
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed');
    if (pathname === bridgePath) return send(response, 200, mimeTypeOf(bridgePath), bridge, request.method === 'HEAD');
    return serveAsset(request, response, pathname);
  }

  async function serveApi(request: IncomingMessage, response: ServerResponse, rawChannel: string): Promise<void> {
    if (request.method !== 'POST') return sendResult(response, 405, 'FORBIDDEN', 'Method not allowed');
    if (!hasToken(request.headers[tokenHeader])) return sendResult(response, 401, 'FORBIDDEN', 'Missing or wrong token');
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendResult(response, 415, 'INVALID_INPUT', 'Expected application/json');
    }
    const body = await readBody(request);
    if (body === null) return sendResult(response, 413, 'FILE_TOO_LARGE', 'Request body too large');
    let input: unknown;
    try {
      input = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
    } catch {
      return sendResult(response, 400, 'INVALID_INPUT', 'Malformed JSON');
    }
    const channel = safeDecode(rawChannel);
    const result = await dispatch(services.handlers, channel, input);
    send(response, 200, 'application/json; charset=utf-8', JSON.stringify(result));
  }

  async function serveAsset(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    const file = resolveAsset(rendererDir, pathname);
    if (file === null) return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    }
    const body = file === indexFile ? injectBridge(content.toString('utf8')) : content;
    send(response, 200, mimeTypeOf(file), body, request.method === 'HEAD');
  }

  function hasToken(given: string | string[] | undefined): boolean {
    return typeof given === 'string' && timingSafeEqual(digest(given), tokenDigest);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    services.close();
    throw error;
  });
  port = (server.address() as AddressInfo).port;
  log.info('preview host listening', { port });

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }).finally(() => services.shutdown()));

  return { url: `http://127.0.0.1:${port}/?token=${token}`, port, token, close };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The body, or null when it exceeds the limit (the excess is drained, not kept). */
async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  if (Number(request.headers['content-length'] ?? 0) > maxBodyBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBodyBytes) chunks.push(chunk);
  }
  return size > maxBodyBytes ? null : Buffer.concat(chunks);
}

function sendResult(response: ServerResponse, status: number, code: ErrorCode, message: string): void {
  const result: Result<never> = { ok: false, error: { code, message } };
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(result));
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, headOnly = false): void {
  response.writeHead(status, { ...securityHeaders, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(headOnly ? undefined : body);
}
