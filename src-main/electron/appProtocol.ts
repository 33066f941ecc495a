/**
 * The renderer is served from `app://vanthu/…`, a privileged standard + secure
 * scheme mapped onto `dist/renderer` (never `file://`). Every response carries
 * the CSP header; anything outside the renderer folder is a 404.
 */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { createLogger } from '../log.js';
import { contentSecurityPolicy, mimeTypeOf, rendererDir, resolveAsset } from '../app/rendererAssets.js';

const log = createLogger('electron.protocol');

export const appScheme = 'app';
export const appHost = 'vanthu';
export const appEntryUrl = `${appScheme}://${appHost}/index.html`;

/** True for URLs of the app itself (Node's URL gives "null" origins for custom schemes, so compare parts). */
export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${appScheme}:` && url.host === appHost && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true } },
  ]);
}

export function handleAppProtocol(): void {
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    if (url.host !== appHost || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
    const file = resolveAsset(rendererDir, url.pathname);
    if (file === null) {
      log.warn('rejected asset path', { path: url.pathname.slice(0, 200) });
      return notFound();
    }
    try {
      const body = await readFile(file);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: {
          'content-type': mimeTypeOf(file),
          'content-security-policy': contentSecurityPolicy,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
      });
    } catch {
      return notFound();
    }
  });
}

function notFound(): Response {
  return new Response('Not found', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': contentSecurityPolicy },
  });
}
