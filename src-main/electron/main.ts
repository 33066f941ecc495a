/**
 * Electron entry point: one instance, the app services opened on the data dir,
 * the IPC bridge, the menu, the hardened window and (packaged only) the updater.
 */
import { app, BrowserWindow, dialog } from 'electron';
import { openServices, type AppServices } from '../app/services.js';
import { createLogger } from '../log.js';
import { handleAppProtocol, registerAppScheme } from './appProtocol.js';
import { registerIpc } from './ipc.js';
import { installMenu } from './menu.js';
import { startUpdater } from './updater.js';
import { createMainWindow } from './window.js';

const log = createLogger('electron.main');

app.setName('VanThu Desktop');
app.enableSandbox();
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

  app
    .whenReady()
    .then(() => {
      services = openServices({ dataDir: process.env['VANTHU_DATA_DIR'] ?? app.getPath('userData'), host: 'electron' });
      handleAppProtocol();
      registerIpc(services.handlers);
      installMenu({ dataDir: services.dataDir });
      createMainWindow();
      startUpdater();
    })
    .catch((error: unknown) => {
      log.error('start-up failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      dialog.showErrorBox(
        'Không khởi động được VanThu Desktop',
        'Không mở được dữ liệu của ứng dụng. Vui lòng liên hệ bộ phận kỹ thuật. / The application data could not be opened.',
      );
      app.exit(1);
    });
}
