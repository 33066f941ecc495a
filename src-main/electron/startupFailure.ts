/**
 * What the user sees when the store cannot be opened: a damaged database offers
 * the latest clean-shutdown backup (the damaged file is kept beside it); a database
 * from a newer version asks for the update; anything else says whom to call.
 */
import { app, dialog } from 'electron';
import { AppError } from '../api/errors.js';
import { restoreLatestBackup } from '../store/database.js';
import { createLogger } from '../log.js';

const log = createLogger('electron.startup');

export function handleStartupFailure(error: unknown, dataDir: string): void {
  log.error('start-up failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  if (error instanceof AppError && error.code === 'STORE_CORRUPT') {
    const backup = (error.details as { backup?: string | null } | undefined)?.backup ?? null;
    if (backup) {
      const choice = dialog.showMessageBoxSync({
        type: 'error',
        title: 'Dữ liệu bị hỏng',
        message: 'Cơ sở dữ liệu của VanThu Desktop bị hỏng.',
        detail: `Có thể khôi phục từ bản sao lưu gần nhất (lần tắt ứng dụng bình thường cuối cùng). Tệp bị hỏng được giữ lại để bộ phận kỹ thuật kiểm tra.\n\nBản sao lưu: ${backup}`,
        buttons: ['Khôi phục từ bản sao lưu', 'Thoát'],
        defaultId: 0,
        cancelId: 1,
      });
      if (choice === 0) {
        restoreLatestBackup(dataDir);
        app.relaunch();
      }
      app.exit(choice === 0 ? 0 : 1);
      return;
    }
  }
  if (error instanceof AppError && error.code === 'STORE_TOO_NEW') {
    dialog.showErrorBox('Cần cập nhật ứng dụng', 'Dữ liệu trên máy này được tạo bởi phiên bản VanThu Desktop mới hơn. Vui lòng cập nhật ứng dụng; dữ liệu không bị thay đổi.');
    app.exit(1);
    return;
  }
  dialog.showErrorBox(
    'Không khởi động được VanThu Desktop',
    'Không mở được dữ liệu của ứng dụng. Vui lòng liên hệ bộ phận kỹ thuật. / The application data could not be opened.',
  );
  app.exit(1);
}
