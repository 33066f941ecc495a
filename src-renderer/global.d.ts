/// <reference types="vite/client" />
import type { Api } from '../src-main/api/contract.js';

declare global {
  interface Window {
    /** Provided by the Electron preload (contextBridge) or injected by the preview host. */
    readonly api: Api;
  }
}
