/**
 * Automatic updates (electron-updater, generic feed set at build time). Only in
 * packaged builds, started after the window is up, never awaited by start-up.
 * Logs carry event names and versions only: no feed URL, headers or tokens.
 */
import { app } from 'electron';
import { createLogger } from '../log.js';

const log = createLogger('electron.updater');

export function startUpdater(): void {
  if (!app.isPackaged) return;
  void checkForUpdates().catch((error: unknown) => log.warn('update check failed', { error: errorName(error) }));
}

async function checkForUpdates(): Promise<void> {
  const { default: updater } = await import('electron-updater');
  const { autoUpdater } = updater;
  autoUpdater.logger = null;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('update-available', (info) => log.info('update available', { version: info.version }));
  autoUpdater.on('update-not-available', () => log.info('no update available'));
  autoUpdater.on('update-downloaded', (info) => log.info('update downloaded', { version: info.version }));
  autoUpdater.on('error', (error) => log.warn('updater error', { error: errorName(error) }));
  await autoUpdater.checkForUpdatesAndNotify({
    title: 'VanThu Desktop có bản cập nhật',
    body: 'Phiên bản {version} đã được tải về và sẽ được cài khi thoát ứng dụng.',
  });
}

/** Error messages of HTTP clients may quote URLs or headers: keep the name and code only. */
function errorName(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}
