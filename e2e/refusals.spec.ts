/**
 * A document sent to an agency the provincial server does not know: the server refuses it;
 * the clerk sees why, in Vietnamese, in the header, on the document and in the settings,
 * and sends it again once the server's administrator has added the agency — then it goes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Api } from '../src-main/api/contract.js';
import type { startServer as StartServer } from '../src-server/server.js';
import type { addAgency as AddAgency, addUser as AddUser } from '../src-server/store.js';
import { expect, snapshot, test } from './fixtures.js';
import { load, pdfMarkedSigned } from './sender.js';
import { action, agency, completeSetup, connectToServer } from './steps.js';


const password = 'mat-khau-tu-choi';
const stranger = { code: '000.00.44.H29', name: 'Sở Ngoại vụ thành phố Hà Nội' };
const subject = 'Về việc phối hợp đón đoàn công tác nước ngoài';

test('liên thông: máy chủ từ chối gửi văn bản — lý do bằng tiếng Việt, gửi lại sau khi khắc phục', async ({ page }) => {
  const { startServer } = await load<{ startServer: typeof StartServer }>('src-server/server.js');
  const { addAgency, addUser } = await load<{ addAgency: typeof AddAgency; addUser: typeof AddUser }>('src-server/store.js');
  const serverDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-e2e-server-'));
  const server = await startServer({ dataDir: serverDir, port: 0 });
  try {
    addAgency(server.db, agency.code, agency.name);
    addUser(server.db, { agency: agency.code, username: 'vanthu', fullName: 'Văn thư', role: 'clerk', password });
    await completeSetup(page);
    await connectToServer(page, server.url, 'vanthu', password);

    // Prepared through the app's own API (as the outgoing and signing specs do through the UI):
    // a signed, issued document, and the agency in the app's directory but not in the server's.
    const pdf = await pdfMarkedSigned(subject);
    const id = await page.evaluate(
      async ({ subject, pdf, stranger }) => {
        const api = (globalThis as unknown as { api: Api }).api;
        const value = async <T,>(r: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> => {
          const done = await r;
          if (!done.ok) throw new Error(JSON.stringify(done.error));
          return done.value;
        };
        const master = await value(api.masterData.get({}));
        await value(api.externalAgencies.save({ code: stranger.code, name: stranger.name }));
        const typeId = master.documentTypes.find((d) => d.name === 'Công văn')?.id ?? master.documentTypes[0]!.id;
        const draft = await value(
          api.outgoing.saveDraft({ typeId, subject, draftingUnitId: master.units[0]!.id, signerName: 'Nguyễn Văn Ký', signerPosition: 'Chủ tịch', file: { name: 'cong-van.pdf', dataBase64: pdf } }),
        );
        await value(api.outgoing.issue({ id: draft.id }));
        return draft.id;
      },
      { subject, pdf: pdf.toString('base64'), stranger },
    );

    await page.goto(`${page.url().split('#')[0]}#/documents/${id}`);
    await expect(page.getByRole('heading', { name: subject })).toBeVisible();
    await action(page, 'Gửi liên thông').click();
    const dialog = page.getByRole('dialog', { name: 'Gửi văn bản qua trục liên thông' });
    await dialog.getByRole('checkbox', { name: new RegExp(stranger.name) }).check();
    await dialog.getByRole('button', { name: 'Gửi liên thông', exact: true }).click();
    await expect(page.getByText('Đã đưa văn bản vào hàng đợi gửi liên thông.')).toBeVisible();
    await expect(action(page, 'Gửi liên thông')).toHaveCount(0); // sent once: no second send offered

    // The round: the server refuses; the header, the document and the settings say why.
    await page.getByRole('button', { name: /Đồng bộ ngay/ }).click();
    const refusedLink = page.getByRole('link', { name: '1 mục bị máy chủ từ chối' });
    await expect(refusedLink).toBeVisible({ timeout: 20_000 });
    const onDocument = page.getByRole('region', { name: 'Máy chủ liên thông từ chối' });
    await expect(onDocument).toContainText('Gửi văn bản');
    await expect(onDocument).toContainText('Nơi nhận không có trong danh bạ của máy chủ liên thông.');
    await expect(onDocument).toContainText(stranger.code);
    await snapshot(page, 'may-chu-tu-choi-van-ban');
    await refusedLink.click();
    const inSettings = page.getByRole('region', { name: 'Máy chủ từ chối' });
    await expect(inSettings.getByRole('link', { name: new RegExp(subject) })).toBeVisible();
    await snapshot(page, 'may-chu-tu-choi-cai-dat');

    // The administrator adds the agency on the server; the clerk sends it again: it goes.
    addAgency(server.db, stranger.code, stranger.name);
    await inSettings.getByRole('button', { name: 'Gửi lại', exact: true }).click();
    await expect(page.getByText('Đã đưa lại vào hàng đợi gửi; ứng dụng đang đồng bộ.')).toBeVisible();
    await expect(inSettings).toHaveCount(0, { timeout: 20_000 });
    await expect(refusedLink).toHaveCount(0, { timeout: 20_000 });
    await expect
      .poll(() => server.db.prepare('SELECT count(*) FROM deliveries WHERE recipient_code = ?').pluck().get(stranger.code), { timeout: 20_000 })
      .toBe(1);
  } finally {
    await server.close();
    await rm(serverDir, { recursive: true, force: true });
  }
});
