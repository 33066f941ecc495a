/**
 * Electron entry point: one instance, the app services opened on the data dir,
 * the IPC bridge, the menu, the hardened window and (packaged only) the updater.
 */
import { app, BrowserWindow } from 'electron';
import { openServices, type AppServices } from '../app/services.js';
import { handleAppProtocol, registerAppScheme } from './appProtocol.js';
import { registerIpc } from './ipc.js';
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

  app.on('will-quit', () => {
    services?.close();
    services = null;
  });

  const dataDir = process.env['VANTHU_DATA_DIR'] ?? app.getPath('userData');
  app
    .whenReady()
    .then(() => {
      services = openServices({ dataDir, host: 'electron' });
      handleAppProtocol();
      registerIpc(services.handlers);
      installMenu({ dataDir: services.dataDir });
      createMainWindow();
      startUpdater();
    })
    .catch((error: unknown) => handleStartupFailure(error, dataDir));
}
