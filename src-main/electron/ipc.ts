/**
 * One `ipcMain.handle` per channel of the API. A call is served only when it
 * comes from the main frame of a page of the app itself (`app://vanthu`); then
 * `dispatch` validates the input and turns every failure into a value.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { channels } from '../api/channels.js';
import type { Handlers } from '../api/contract.js';
import { dispatch } from '../api/dispatch.js';
import type { Result } from '../api/errors.js';
import { createLogger } from '../log.js';
import { isAppUrl } from './appProtocol.js';

const log = createLogger('electron.ipc');

const forbidden: Result<never> = { ok: false, error: { code: 'FORBIDDEN', message: 'Untrusted sender' } };

export function registerIpc(handlers: Handlers): void {
  for (const channel of channels) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        log.warn('rejected IPC from untrusted sender', { channel });
        return forbidden;
      }
      return dispatch(handlers, channel, input);
    });
  }
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}
