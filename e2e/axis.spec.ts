/**
 * The national axis (VDXP) chosen in the settings: the clerk picks "Trục liên thông văn bản
 * quốc gia", gives the axis address and the agency's secret (no user name: the axis knows the
 * agency by its code); a wrong secret is refused in Vietnamese; then a round receives what
 * another agency sent over the axis (a stand-in axis on loopback that checks every signature).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { openServices as OpenServices } from '../src-main/app/services.js';
import type { completeSetup as CompleteSetup } from '../src-main/documents/masterData.js';
import type { SyncEngine as Engine } from '../src-main/sync/engine.js';
import type { queueSendOutgoing as QueueSendOutgoing } from '../src-main/sync/exchange.js';
import type { VdxpTransport as Transport } from '../src-main/sync/vdxpTransport.js';
import { axisSecret, startAxisFor } from '../test/sync/vdxpAxis.js';
import { expect, snapshot, test } from './fixtures.js';
import { issuedDocument, load } from './sender.js';
import { agency, completeSetup, field } from './steps.js';


const sender = { code: '000.00.00.G22', name: 'Văn phòng Chính phủ', shortName: 'VPCP', place: 'Hà Nội' };

const subject = 'Về việc triển khai kết nối trục liên thông văn bản quốc gia';

test('trục liên thông quốc gia (VDXP): kết nối bằng mã định danh và khóa bí mật, nhận văn bản', async ({ page }) => {
  const { openServices } = await load<{ openServices: typeof OpenServices }>('src-main/app/services.js');
  const { completeSetup: setupStore } = await load<{ completeSetup: typeof CompleteSetup }>('src-main/documents/masterData.js');
  const { SyncEngine } = await load<{ SyncEngine: typeof Engine }>('src-main/sync/engine.js');
  const { queueSendOutgoing } = await load<{ queueSendOutgoing: typeof QueueSendOutgoing }>('src-main/sync/exchange.js');
  const { VdxpTransport } = await load<{ VdxpTransport: typeof Transport }>('src-main/sync/vdxpTransport.js');

  const axis = await startAxisFor(sender, agency);
  const senderDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-e2e-axis-sender-'));
  const s = openServices({ dataDir: senderDir, host: 'cli' });
  try {
    // The sending agency sends one signed document over the axis.
    setupStore(s.db, { agency: sender, units: [{ name: 'Vụ Hành chính', shortName: 'HC' }], user: { fullName: 'Lê Văn Gửi', position: 'Văn thư', unitIndex: 0 } });
    const id = await issuedDocument(s, subject, { name: 'Trần Văn Ký', position: 'Bộ trưởng, Chủ nhiệm' }, agency.name);
    const engine = new SyncEngine({ db: s.db, files: s.files, dataDir: s.dataDir, transport: new VdxpTransport({ endpoint: axis.url, systemId: sender.code, secret: axisSecret(sender.code) }) });
    queueSendOutgoing(engine.ctx, id, [agency.code]);
    expect((await engine.syncOnce()).ok).toBe(true);

    // The app: the axis in the settings; no user name asked.
    await completeSetup(page);
    await page.getByRole('link', { name: 'Cài đặt', exact: true }).click();
    await field(page, 'Loại máy chủ').selectOption({ label: 'Trục liên thông văn bản quốc gia (VDXP)' });
    await expect(field(page, 'Tên đăng nhập')).toHaveCount(0);
    await expect(page.getByText(`mã định danh ${agency.code}`)).toBeVisible();
    await field(page, 'Địa chỉ trục liên thông').fill(axis.url);
    await field(page, 'Khóa bí mật').fill('khong-phai-bi-mat');
    await page.getByRole('button', { name: 'Kết nối', exact: true }).click();
    await expect(page.getByText('Trục liên thông từ chối mã định danh hoặc khóa bí mật.')).toBeVisible();
    await field(page, 'Khóa bí mật').fill(axisSecret(agency.code));
    await page.getByRole('button', { name: 'Kết nối', exact: true }).click();
    await expect(page.getByText('Đã kết nối máy chủ liên thông.')).toBeVisible();
    await snapshot(page, 'truc-lien-thong-quoc-gia');

    await page.getByRole('link', { name: 'Văn bản đến', exact: true }).click();
    await page.getByRole('button', { name: /Đồng bộ ngay/ }).click();
    await expect(page.getByText('Đã đồng bộ: nhận 1, gửi', { exact: false })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('link', { name: subject })).toBeVisible({ timeout: 15_000 });
    expect(axis.refusedSignatures).toBe(1); // the wrong secret's check, nothing else
  } finally {
    await s.shutdown();
    await axis.close();
    await rm(senderDir, { recursive: true, force: true });
  }
});
