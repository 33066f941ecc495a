/**
 * Every channel the renderer may call, `domain:verb`, in one place. The preload
 * exposes exactly these (it bundles this file and nothing else of main); the IPC
 * layer and the preview host reject anything else.
 */
export const channels = [
  'app:info',
  'setup:complete',
  'masterData:get',
  'agency:update',
  'units:save',
  'externalAgencies:save',
  'documentTypes:save',
  'numbering:setScheme',
  'incoming:findDuplicates',
  'incoming:register',
  'outgoing:saveDraft',
  'outgoing:issue',
  'documents:update',
  'documents:list',
  'documents:get',
  'search:query',
  'files:read',
  'registers:list',
  'signing:verify',
  'signing:listTokens',
  'signing:sign',
  'signing:placement',
  'sync:state',
  'sync:now',
  'sync:configure',
  'sync:forget',
  'sync:refusals',
  'sync:retry',
  'exchange:accept',
  'exchange:return',
  'exchange:requests',
  'exchange:answer',
  'exchange:send',
  'exchange:statuses',
  'exchange:directory',
] as const;

export type Channel = (typeof channels)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (channels as readonly string[]).includes(value);
}
