/** The Vietnamese application menu. */
import { app, BrowserWindow, dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { createLogger } from '../log.js';

const log = createLogger('electron.menu');

export function installMenu(options: { dataDir: string }): void {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'Tệp',
      submenu: [
        { label: 'Mở thư mục dữ liệu', click: () => openDataDir(options.dataDir) },
        { type: 'separator' },
        { role: 'quit', label: 'Thoát' },
      ],
    },
    {
      label: 'Chỉnh sửa',
      submenu: [
        { role: 'undo', label: 'Hoàn tác' },
        { role: 'redo', label: 'Làm lại' },
        { type: 'separator' },
        { role: 'cut', label: 'Cắt' },
        { role: 'copy', label: 'Sao chép' },
        { role: 'paste', label: 'Dán' },
        { role: 'selectAll', label: 'Chọn tất cả' },
      ],
    },
    {
      label: 'Xem',
      submenu: [
        { role: 'reload', label: 'Tải lại' },
        { type: 'separator' },
        { role: 'zoomIn', label: 'Phóng to' },
        { role: 'zoomOut', label: 'Thu nhỏ' },
        { role: 'resetZoom', label: 'Cỡ mặc định' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: 'Toàn màn hình' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools', label: 'Công cụ phát triển' } as const]),
      ],
    },
    {
      label: 'Cửa sổ',
      submenu: [
        { role: 'minimize', label: 'Thu nhỏ cửa sổ' },
        { role: 'close', label: 'Đóng cửa sổ' },
      ],
    },
    {
      label: 'Trợ giúp',
      submenu: [{ label: 'Giới thiệu VanThu Desktop', click: () => showAbout() }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function openDataDir(dataDir: string): void {
  shell.openPath(dataDir).then(
    (failure) => failure && log.warn('could not open data directory'),
    () => log.warn('could not open data directory'),
  );
}

function showAbout(): void {
  const options = {
    type: 'info' as const,
    title: 'Giới thiệu',
    message: 'VanThu Desktop',
    detail: `Phiên bản ${app.getVersion()}\nQuản lý văn bản đến, văn bản đi theo Nghị định 30/2020/NĐ-CP.`,
    buttons: ['Đóng'],
  };
  const parent = BrowserWindow.getFocusedWindow();
  void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
}
