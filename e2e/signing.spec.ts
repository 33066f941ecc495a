/**
 * Ký số through the UI with SoftHSM2 tokens (the test PKI of scripts/make-test-pki.sh):
 * a wrong PIN says so and clears the field, the right one signs, and the signature
 * panel shows the signer. (The test root is not a trusted anchor of the app, so the
 * verdict is "cannot tell", never "valid".)
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, snapshot, test } from './fixtures.js';
import { officialPdf } from './pdf.js';
import { action, choose, completeSetup, dayBefore, field } from './steps.js';

const root = path.resolve(import.meta.dirname, '..');
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

    await pin.fill('123456');
    await pin.press('Enter');
    await expect(page.getByText('Đã ký số thành công (Nguyễn Văn A).', { exact: false })).toBeVisible({ timeout: 20_000 });
    await expect(dialog).toHaveCount(0);
    const panel = page.getByRole('region', { name: 'Chữ ký số' });
    await expect(panel.getByText('Nguyễn Văn A')).toBeVisible();
    await expect(panel.getByText(/Hợp lệ|Chưa xác định được/).first()).toBeVisible();
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
