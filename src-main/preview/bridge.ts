/**
 * The preview host's stand-in for the Electron preload: a classic script that
 * defines `window.api` with exactly the preload's shape (one named method per
 * channel) and carries each call as `POST /api/<channel>`. The per-run token is
 * read from `?token=` and kept in this closure only: never in storage or cookies.
 */
import { channels } from '../api/channels.js';

export const bridgePath = '/preview-bridge.js';
export const tokenHeader = 'x-vanthu-token';

export function bridgeScript(): string {
  return `(() => {
  'use strict';
  const token = new URLSearchParams(window.location.search).get('token') || '';
  const channels = ${JSON.stringify(channels)};
  const unreachable = { ok: false, error: { code: 'INTERNAL', message: 'Preview host unreachable' } };
  const call = async (channel, input) => {
    try {
      const response = await fetch('/api/' + channel, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ${JSON.stringify(tokenHeader)}: token },
        body: JSON.stringify(input === undefined ? null : input),
        credentials: 'omit',
        cache: 'no-store',
      });
      return await response.json();
    } catch {
      return unreachable;
    }
  };
  const api = {};
  for (const channel of channels) {
    const [domain, verb] = channel.split(':');
    const methods = api[domain] || (api[domain] = {});
    methods[verb] = (input) => call(channel, input);
  }
  for (const methods of Object.values(api)) Object.freeze(methods);
  Object.defineProperty(window, 'api', { value: Object.freeze(api), enumerable: true });
})();
`;
}

/** Loads the bridge before the renderer's first script. */
export function injectBridge(indexHtml: string): string {
  const tag = `<script src=".${bridgePath}"></script>`;
  const at = indexHtml.indexOf('<script');
  return at === -1 ? indexHtml.replace('</head>', `${tag}</head>`) : indexHtml.slice(0, at) + tag + indexHtml.slice(at);
}
