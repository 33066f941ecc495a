/**
 * Liên thông: the reference provincial server on loopback, a sending agency (its own
 * store, driven through the same API handlers) and the app under test. The clerk
 * connects the app to the server, syncs, finds the received document as "Chờ tiếp nhận",
 * accepts it and sees the số đến; a second one is returned with a reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { dispatch as Dispatch } from '../src-main/api/dispatch.js';
import type { openServices as OpenServices } from '../src-main/app/services.js';
import type { completeSetup as CompleteSetup } from '../src-main/documents/masterData.js';
import type { startServer as StartServer } from '../src-server/server.js';
import type { addAgency as AddAgency, addUser as AddUser } from '../src-server/store.js';
import { expect, snapshot, test } from './fixtures.js';
import { issuedDocument, load } from './sender.js';
import { action, agency, completeSetup, connectToServer } from './steps.js';


const password = 'mat-khau-lien-thong';
const sender = { code: '000.00.12.H29', name: 'Sở Tài chính thành phố Hà Nội', shortName: 'STC', place: 'Hà Nội' };
const subjects = ['Về việc hướng dẫn quyết toán ngân sách năm 2025', 'Về việc kiểm tra công tác tài chính quý I'];

test('liên thông: kết nối máy chủ, đồng bộ, tiếp nhận văn bản đến (số đến) và trả lại', async ({ page }) => {
  const { startServer } = await load<{ startServer: typeof StartServer }>('src-server/server.js');
  const { addAgency, addUser } = await load<{ addAgency: typeof AddAgency; addUser: typeof AddUser }>('src-server/store.js');
  const { openServices } = await load<{ openServices: typeof OpenServices }>('src-main/app/services.js');
  const { dispatch } = await load<{ dispatch: typeof Dispatch }>('src-main/api/dispatch.js');
  const { completeSetup: setupStore } = await load<{ completeSetup: typeof CompleteSetup }>('src-main/documents/masterData.js');

  const serverDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-e2e-server-'));
  const senderDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-e2e-sender-'));
  const server = await startServer({ dataDir: serverDir, port: 0 });
  const a = openServices({ dataDir: senderDir, host: 'cli' });
  try {
    for (const [code, name] of [
      [sender.code, sender.name],
      [agency.code, agency.name],
    ] as const) {
      addAgency(server.db, code, name);
      addUser(server.db, { agency: code, username: 'vanthu', fullName: `Văn thư ${code}`, role: 'clerk', password });
    }

    // The sending agency issues two signed documents and sends them to the app's agency.
    setupStore(a.db, { agency: sender, units: [{ name: 'Văn phòng', shortName: 'VP' }], user: { fullName: 'Trần Văn Gửi', position: 'Văn thư', unitIndex: 0 } });
    const call = async (channel: string, input: unknown): Promise<unknown> => {
      const r = await dispatch(a.handlers, channel, input);
      if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    await call('sync:configure', { serverUrl: server.url, username: 'vanthu', password });
    await call('sync:now', {});
    for (const subject of subjects) {
      const id = await issuedDocument(a, subject, { name: 'Nguyễn Văn Ký', position: 'Giám đốc' }, agency.name);
      await call('exchange:send', { id, recipients: [agency.code] });
    }
    await call('sync:now', {});

    // The app: set up, connect to the server, sync.
    await completeSetup(page);
    await expect(page.getByRole('link', { name: 'Chưa kết nối máy chủ liên thông' })).toBeVisible();
    await connectToServer(page, server.url, 'vanthu', password);
    await snapshot(page, 'may-chu-lien-thong');

    // Sync with the (empty) incoming register open: what arrives, and the verdict on its
    // signatures checked after the round, show up in the list without reloading it.
    await page.getByRole('link', { name: 'Văn bản đến', exact: true }).click();
    await expect(page.getByText('Tổng số: 0 văn bản')).toBeVisible();
    const indicator = page.getByRole('button', { name: /Đồng bộ ngay/ });
    await indicator.click();
    await expect(page.getByText('Đã đồng bộ: nhận 2, gửi', { exact: false })).toBeVisible({ timeout: 20_000 });
    await expect(indicator).toContainText('Trực tuyến');
    await expect(indicator).toContainText('2 văn bản chờ tiếp nhận');
    await expect(page.getByRole('link', { name: subjects[1] })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText(/Chữ ký số:/)).toHaveCount(2, { timeout: 15_000 });
    await snapshot(page, 'van-ban-den-lien-thong');

    // Received documents wait as "Chờ tiếp nhận"; accept the first one.
    await page.getByRole('link', { name: subjects[0] }).click();
    await expect(page.getByRole('heading', { name: subjects[0] })).toBeVisible();
    await expect(page.getByText('Chờ tiếp nhận').first()).toBeVisible();
    await snapshot(page, 'cho-tiep-nhan');
    await action(page, 'Tiếp nhận').click();
    await expect(page.getByText('Đã tiếp nhận, số đến: 1.')).toBeVisible();
    await expect(page.getByText('Đã vào sổ').first()).toBeVisible();
    await expect(action(page, 'Tiếp nhận')).toHaveCount(0);
    await snapshot(page, 'da-tiep-nhan');

    // Return the second one: the reason is required.
    await page.getByRole('link', { name: 'Văn bản đến', exact: true }).click();
    await page.getByRole('link', { name: subjects[1] }).click();
    await action(page, 'Trả lại').click();
    const dialog = page.getByRole('dialog', { name: 'Trả lại văn bản' });
    await expect(dialog.getByRole('button', { name: 'Trả lại', exact: true })).toBeDisabled();
    await dialog.getByLabel('Lý do trả lại').fill('Gửi nhầm cơ quan');
    await dialog.getByRole('button', { name: 'Trả lại', exact: true }).click();
    await expect(page.getByText('Đã trả lại văn bản cho nơi gửi.')).toBeVisible();
    await expect(page.getByText('Đã trả lại').first()).toBeVisible();

    // The statuses reach the sender.
    await expect
      .poll(
        async () => {
          await call('sync:now', {});
          return (a.db.prepare('SELECT status_code FROM exchange_statuses ORDER BY id').pluck().all() as string[]).sort().join(',');
        },
        { timeout: 20_000 },
      )
      .toContain('03');
  } finally {
    await a.shutdown();
    await server.close();
    await rm(serverDir, { recursive: true, force: true });
    await rm(senderDir, { recursive: true, force: true });
  }
});
