/**
 * Ký số through the UI with SoftHSM2 tokens (the test PKI of scripts/make-test-pki.sh):
 * a wrong PIN says so and clears the field, the signature box of the preview is moved
 * (mouse drag, arrow keys, back to the automatic place, drag again), the right PIN signs,
 * the signature widget is where the box was left, and the signature panel shows the signer. (The test root is not a trusted anchor of the app, so the
 * verdict is "cannot tell", never "valid".)
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import type { Api } from '../src-main/api/contract.js';
import type { findSignatures as FindSignatures } from '../src-main/signing/changes.js';
import type { PdfFile as PdfFileClass } from '../src-main/signing/pdf/reader.js';
import { expect, snapshot, test } from './fixtures.js';
import { officialPdf } from './pdf.js';
import { action, choose, completeSetup, dayBefore, field } from './steps.js';

const root = path.resolve(import.meta.dirname, '..');

const rectOf = async (box: ReturnType<Page['locator']>): Promise<number[]> => ((await box.getAttribute('data-rect')) ?? '').split(' ').map(Number);

/** Page index and /Rect of each signature widget of the document's main PDF, read with the built signing module's reader. */
async function signatureWidgets(page: Page, dir: string): Promise<{ page: number | undefined; rect: number[] | undefined }[]> {
  const id = Number(/#\/documents\/(\d+)/.exec(page.url())?.[1]);
  const base64 = await page.evaluate(async (documentId) => {
    const api = (globalThis as unknown as { api: Api }).api;
    const doc = await api.documents.get({ id: documentId });
    if (!doc.ok) throw new Error(doc.error.message);
    const pdf = doc.value.files.find((f) => f.mime === 'application/pdf');
    const file = pdf ? await api.files.read({ sha256: pdf.sha256 }) : undefined;
    if (!file?.ok) throw new Error('no PDF');
    return file.value.dataBase64;
  }, id);
  const file = path.join(dir, 'signed.pdf');
  await writeFile(file, Buffer.from(base64, 'base64'));
  const load = (rel: string) => import(pathToFileURL(path.join(root, 'dist/main/src-main/signing', rel)).href);
  const { findSignatures } = (await load('changes.js')) as { findSignatures: typeof FindSignatures };
  const { PdfFile } = (await load('pdf/reader.js')) as { PdfFile: typeof PdfFileClass };
  const pdf = PdfFile.open(file);
  try {
    return findSignatures(pdf).map((sig) => ({ page: sig.pageIndex, rect: sig.rect }));
  } finally {
    pdf.close();
  }
}
const subject = 'Về việc cung cấp số liệu chuyển đổi số năm 2025';

test('ký số văn bản đến (ký bản sao): PIN sai, PIN đúng, xem chữ ký', async ({ page, chromiumBrowser }) => {
  const pkiDir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-e2e-pki-'));
  execFileSync('bash', [path.join(root, 'scripts/make-test-pki.sh'), pkiDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const manifest = JSON.parse(await readFile(path.join(pkiDir, 'manifest.json'), 'utf8')) as { module: string; softhsm2Conf: string };
  // The preview host runs in this process: its token worker starts on first use with this environment.
  const saved = { conf: process.env['SOFTHSM2_CONF'], modules: process.env['VANTHU_PKCS11_MODULES'] };
  process.env['SOFTHSM2_CONF'] = manifest.softhsm2Conf;
  process.env['VANTHU_PKCS11_MODULES'] = manifest.module;
  try {
    await completeSetup(page);
    const pdf = await officialPdf(chromiumBrowser, {
      agency: 'Sở Thông tin và Truyền thông',
      code: '88/STTTT-CĐS',
      place: 'Hà Nội',
      subject,
      body: 'Đề nghị các cơ quan, đơn vị cung cấp số liệu phục vụ tổng hợp báo cáo chuyển đổi số.',
    });
    await page.getByRole('link', { name: 'Văn bản đến', exact: true }).click();
    await action(page, 'Vào sổ văn bản đến').click();
    await field(page, 'Nơi gửi').fill('Sở Thông tin và Truyền thông');
    await field(page, 'Số').fill('88');
    await field(page, 'Ký hiệu').fill('STTTT-CĐS');
    await field(page, 'Ngày văn bản').fill(dayBefore(2));
    await choose(field(page, 'Loại văn bản'), 'Công văn');
    await field(page, 'Trích yếu').fill(subject);
    await field(page, 'Tệp PDF').setInputFiles({ name: 'cv-88.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
    await expect(page.getByText(/Đã vào sổ văn bản đến/).first()).toBeVisible();
    await page.getByRole('link', { name: 'Văn bản đến', exact: true }).click();
    await page.getByRole('link', { name: subject }).click();
    await expect(page.getByText('Tệp PDF chưa có chữ ký số.')).toBeVisible();

    await action(page, 'Ký số').click();
    const dialog = page.getByRole('dialog', { name: 'Ký số văn bản' });
    await expect(dialog.getByLabel('Thiết bị ký số (token)')).toContainText('NGUYEN VAN A', { timeout: 20_000 });
    // A token pulled out while the dialog is open disappears from the list by itself.
    await expect(dialog.getByLabel('Thiết bị ký số (token)')).toContainText('ASCII SIGNER');
    execFileSync('softhsm2-util', ['--delete-token', '--token', 'ASCII SIGNER'], { env: { ...process.env, SOFTHSM2_CONF: manifest.softhsm2Conf }, stdio: 'ignore' });
    await expect(dialog.getByLabel('Thiết bị ký số (token)')).not.toContainText('ASCII SIGNER', { timeout: 15_000 });
    await choose(dialog.getByLabel('Thiết bị ký số (token)'), 'NGUYEN VAN A');
    await expect(dialog.getByLabel('Chứng thư số')).toContainText('Nguyễn Văn A');
    await expect(dialog.getByLabel('Chứng thư số')).toContainText('Đã hết hạn'); // the expired one is listed, not selectable
    // The token holds several certificates (one expired, one revoked, one without signing use): pick the signer's own.
    const own = dialog.getByLabel('Chứng thư số').locator('option:not([disabled])', { hasText: 'Nguyễn Văn A' });
    await dialog.getByLabel('Chứng thư số').selectOption({ label: (await own.first().textContent())?.trim() ?? '' });
    await dialog.getByLabel('Ký bản sao').check();
    const pin = dialog.getByLabel('Mã PIN');
    await expect(pin).toHaveAttribute('type', 'password');
    await expect(pin).toHaveAttribute('autocomplete', 'off');
    await pin.fill('000000');
    await dialog.getByRole('button', { name: 'Ký', exact: true }).click();
    await expect(dialog.getByRole('alert')).toContainText('Mã PIN không đúng.');
    await expect(pin).toHaveValue('');
    await snapshot(page, 'ky-so-pin-sai');

    // The preview: page 1 with the box at the automatic place of a copy signature (top right).
    const preview = dialog.getByRole('region', { name: 'Vị trí chữ ký' });
    await expect(preview.locator('canvas[data-rendered="true"]')).toBeVisible({ timeout: 20_000 });
    const box = preview.getByRole('application', { name: /Khung chữ ký/ });
    await expect(box).toHaveAttribute('data-auto', 'true');
    await expect(box).toHaveAttribute('data-page', '1');
    const auto = await rectOf(box);
    const start = await box.boundingBox();
    if (!start) throw new Error('the signature box is not shown');
    const scale = start.width / ((auto[2] ?? 0) - (auto[0] ?? 0)); // CSS pixels per point
    const near = (actual: number[], expected: number[], tolerance = 1) => expected.forEach((v, i) => expect(Math.abs((actual[i] ?? NaN) - v)).toBeLessThan(tolerance));
    const dragBy = async (dx: number, dy: number) => {
      const from = await box.boundingBox();
      if (!from) throw new Error('the signature box is not shown');
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(from.x + from.width / 2 + dx, from.y + from.height / 2 + dy, { steps: 8 });
      await page.mouse.up();
    };
    // 120 px left and 200 px down on screen: left and lower on the page (PDF y grows upwards)
    await dragBy(-120, 200);
    const dragged = await rectOf(box);
    near(dragged, auto.map((v, i) => v + (i % 2 === 0 ? -120 / scale : -200 / scale)));
    await expect(box).toHaveAttribute('data-auto', 'false');
    // arrow keys: 2 pt, Shift 10 pt, with a visible focus ring
    await expect(box).toBeFocused();
    await box.press('ArrowRight');
    await box.press('Shift+ArrowUp');
    near(await rectOf(box), dragged.map((v, i) => v + (i % 2 === 0 ? 2 : 10)), 0.02);
    await expect(box).toHaveCSS('outline-style', 'solid');
    // dragged past the bottom right corner, the box stays inside the page
    await dragBy(200, 700);
    const corner = await rectOf(box);
    const pageWidth = (await preview.locator('canvas').boundingBox())?.width ?? 0;
    near(corner, [pageWidth / scale - ((auto[2] ?? 0) - (auto[0] ?? 0)), 0, pageWidth / scale, (auto[3] ?? 0) - (auto[1] ?? 0)]);
    await snapshot(page, 'ky-so-vi-tri');
    await dialog.getByRole('button', { name: 'Về vị trí tự động' }).click();
    near(await rectOf(box), auto, 0.02);
    await expect(box).toHaveAttribute('data-auto', 'true');
    await dragBy(-150, 260);
    const chosen = await rectOf(box);
    near(chosen, auto.map((v, i) => v + (i % 2 === 0 ? -150 / scale : -260 / scale)));

    await pin.fill('123456');
    await pin.press('Enter');
    await expect(page.getByText('Đã ký số thành công (Nguyễn Văn A).', { exact: false })).toBeVisible({ timeout: 20_000 });
    await expect(dialog).toHaveCount(0);
    const panel = page.getByRole('region', { name: 'Chữ ký số' });
    await expect(panel.getByText('Nguyễn Văn A')).toBeVisible();
    await expect(panel.getByText(/Hợp lệ|Chưa xác định được/).first()).toBeVisible();
    // The signature widget is where the box was left: page 1, the same rect in points.
    const widgets = await signatureWidgets(page, pkiDir);
    expect(widgets).toHaveLength(1);
    expect(widgets[0]?.page).toBe(0);
    near(widgets[0]?.rect ?? [], chosen, 0.02);
    // The signed file (with its SAO Y block) is what the viewer shows now.
    await expect(page.locator('canvas[aria-label="Trang 1"][data-rendered="true"]')).toBeVisible({ timeout: 20_000 });
    await snapshot(page, 'ky-so-thanh-cong');
  } finally {
    if (saved.conf === undefined) delete process.env['SOFTHSM2_CONF'];
    else process.env['SOFTHSM2_CONF'] = saved.conf;
    if (saved.modules === undefined) delete process.env['VANTHU_PKCS11_MODULES'];
    else process.env['VANTHU_PKCS11_MODULES'] = saved.modules;
    await rm(pkiDir, { recursive: true, force: true });
  }
});
