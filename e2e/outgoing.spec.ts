import { expect, snapshot, test } from './fixtures.js';
import { action, agency, choose, completeSetup, field } from './steps.js';

test('soạn dự thảo văn bản đi, cấp số và ban hành', async ({ page }) => {
  await completeSetup(page);

  await page.getByRole('link', { name: 'Văn bản đi', exact: true }).click();
  await action(page, 'Soạn văn bản đi').click();
  await choose(field(page, 'Loại văn bản'), 'Quyết định');
  await field(page, 'Trích yếu').fill('Về việc ban hành Quy chế công tác văn thư, lưu trữ của Ủy ban nhân dân huyện');
  await field(page, 'Người ký').fill('Trần Văn Minh');
  await snapshot(page, 'soan-van-ban-di');
  await page.getByRole('button', { name: 'Lưu dự thảo', exact: true }).click();

  await page.getByRole('button', { name: 'Cấp số và ban hành', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Xác nhận cấp số' }).click();

  await expect(page.locator('[aria-label="Số, ký hiệu"]')).toHaveText(`01/QĐ-${agency.shortName}`);
  await snapshot(page, 'van-ban-di-da-ban-hanh');
});
