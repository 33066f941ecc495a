/**
 * Preload (sandboxed, CommonJS, bundled with the channel list into one file by
 * vite.preload.config.ts). Exposes `window.api` with one named method per
 * channel, `api.documents.list(input)`, and never ipcRenderer itself.
 */
import electron = require('electron');
import channelList = require('../api/channels.js');

const { contextBridge, ipcRenderer } = electron;
const { channels } = channelList;

type Invoke = (input?: unknown) => Promise<unknown>;

const api: Record<string, Record<string, Invoke>> = {};
for (const channel of channels) {
  const [domain, verb] = channel.split(':') as [string, string];
  const methods = (api[domain] ??= {});
  methods[verb] = (input) => ipcRenderer.invoke(channel, input);
}

contextBridge.exposeInMainWorld('api', api);
