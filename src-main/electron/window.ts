/**
 * The one window factory. Hardened: sandboxed renderer with context isolation,
 * no Node, web security on, no remote content, no pop-ups (http(s) links go to
 * the system browser), no navigation away from the app, no permissions.
 */
import { BrowserWindow, shell, type WebContents } from 'electron';
import { createLogger } from '../log.js';
import { appEntryUrl, isAppUrl } from './appProtocol.js';
import { preloadPath } from '../app/rendererAssets.js';
import { loadWindowState, trackWindowState, windowMinimumSize } from './windowState.js';

const log = createLogger('electron.window');

export function createMainWindow(): BrowserWindow {
  const state = loadWindowState();
  const window = new BrowserWindow({
    ...(state.x === undefined || state.y === undefined ? {} : { x: state.x, y: state.y }),
    width: state.width,
    height: state.height,
    ...windowMinimumSize,
    title: 'VanThu Desktop',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  if (state.maximized) window.maximize();
  trackWindowState(window);
  guardContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appEntryUrl);
  return window;
}

function guardContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  const keepInApp = (event: Electron.Event, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    log.warn('blocked navigation', { scheme: schemeOf(url) });
  };
  contents.on('will-navigate', keepInApp);
  contents.on('will-redirect', keepInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}

/** Only http(s) URLs leave the app, and only to the system browser. */
function openExternally(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    log.warn('blocked window.open', { scheme: url.protocol });
    return;
  }
  shell.openExternal(url.href).catch(() => log.warn('could not open external link'));
}

function schemeOf(raw: string): string {
  try {
    return new URL(raw).protocol;
  } catch {
    return 'invalid';
  }
}
