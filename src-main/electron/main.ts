/**
 * Electron entry point: one instance, the app services opened on the data dir (with
 * safeStorage for a remembered sync password), the IPC bridge, the menu, the hardened
 * window and (packaged only) the updater.
 */
import { app, BrowserWindow, net, powerMonitor } from 'electron';
import { openServices, type AppServices } from '../app/services.js';
import { handleAppProtocol, registerAppScheme } from './appProtocol.js';
import { registerIpc } from './ipc.js';
import { safeStorageSecretStore } from './secretStore.js';
import { utilityProcessWorker } from './tokenWorker.js';
import { handleStartupFailure } from './startupFailure.js';
import { installMenu } from './menu.js';
import { startUpdater } from './updater.js';
import { createMainWindow } from './window.js';

app.setName('VanThu Desktop');
app.enableSandbox();
// Vietnamese first: date pickers and other built-in controls follow the UI language.
app.commandLine.appendSwitch('lang', 'vi');
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let services: AppServices | null = null;

  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0];
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => app.quit());

  // Quit waits (bounded) for a running sync round and stops the token worker process.
  let shuttingDown = false;
  app.on('before-quit', (event) => {
    if (!services || shuttingDown) return;
    event.preventDefault();
    shuttingDown = true;
    const running = services;
    const bounded = Promise.race([running.shutdown(), new Promise<void>((resolve) => setTimeout(resolve, 8000))]);
    void bounded.finally(() => {
      running.close();
      services = null;
      app.quit();
    });
  });

  app.on('will-quit', () => {
    services?.close();
    services = null;
  });

  // Connectivity back (polled: the main process has no 'online' event): sync now.
  let wasOnline = true;
  const onlineWatch = setInterval(() => {
    const online = net.isOnline();
    if (online && !wasOnline) services?.sync.notifyOnline();
    wasOnline = online;
  }, 10_000);
  onlineWatch.unref();
  // A laptop waking up has usually been offline meanwhile: sync now (powerMonitor is usable once the app is ready).
  void app.whenReady().then(() => powerMonitor.on('resume', () => services?.sync.notifyOnline()));

  const dataDir = process.env['VANTHU_DATA_DIR'] ?? app.getPath('userData');
  app
    .whenReady()
    .then(() => {
      services = openServices({
        dataDir,
        host: 'electron',
        // The token worker runs in a utilityProcess (the packaged app cannot fork itself as Node).
        signing: { launch: utilityProcessWorker },
        // One engine per store once the server is configured: a round every minute and at once when online again.
        sync: { autoStartMs: 60_000 },
        // A remembered sync password is encrypted with the OS keyring (never basic_text on Linux).
        secrets: safeStorageSecretStore(),
      });
      handleAppProtocol();
      registerIpc(services.handlers);
      installMenu({ dataDir: services.dataDir });
      createMainWindow();
      startUpdater();
    })
    .catch((error: unknown) => handleStartupFailure(error, dataDir));
}
