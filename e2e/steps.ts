/** Steps shared by the specs, through the Vietnamese UI (labels and roles only). */
import type { Locator, Page } from '@playwright/test';
import { expect, snapshot } from './fixtures.js';

export const agency = {
  name: 'Ủy ban nhân dân huyện Thạch Thất',
  shortName: 'UBND',
  code: '000.00.31.H29',
  place: 'Thạch Thất',
  unitName: 'Văn phòng Hội đồng nhân dân và Ủy ban nhân dân',
  unitShortName: 'VP',
  userName: 'Nguyễn Thị Hương',
  userPosition: 'Văn thư',
};

/** A button or a link with exactly this name (the renderer may use either for an action). */
export function action(page: Page, name: string): Locator {
  return page.getByRole('button', { name, exact: true }).or(page.getByRole('link', { name, exact: true })).first();
}

export function field(page: Page, label: string): Locator {
  return page.getByLabel(label, { exact: true });
}

/** Selects the first option of a <select> whose text starts with `name` ("Quyết định" or "Quyết định (QĐ)"). */
export async function choose(select: Locator, name: string): Promise<void> {
  const texts = await select.locator('option').allTextContents();
  const label = texts.find((text) => text.trim() === name) ?? texts.find((text) => text.trim().startsWith(`${name} (`));
  if (label === undefined) throw new Error(`no option "${name}" in ${texts.join(' | ')}`);
  await select.selectOption({ label });
}

/** A calendar day `daysAgo` days before today, yyyy-MM-dd (document dates may not be in the future). */
export function dayBefore(daysAgo: number): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** First run: "Thiết lập ban đầu", then the app shell. */
export async function completeSetup(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Thiết lập ban đầu' })).toBeVisible();
  await field(page, 'Tên cơ quan').fill(agency.name);
  await field(page, 'Tên viết tắt').fill(agency.shortName);
  await field(page, 'Mã định danh').fill(agency.code);
  await field(page, 'Địa danh').fill(agency.place);
  await field(page, 'Tên đơn vị').fill(agency.unitName);
  await field(page, 'Viết tắt đơn vị').fill(agency.unitShortName);
  await field(page, 'Họ và tên').fill(agency.userName);
  await field(page, 'Chức vụ').fill(agency.userPosition);
  await snapshot(page, 'thiet-lap-ban-dau');
  // The brief names the button "Bắt đầu sử dụng"; the renderer's i18n currently says "Hoàn tất thiết lập".
  await page.getByRole('button', { name: /^(Bắt đầu sử dụng|Hoàn tất thiết lập)$/ }).click();
  await expect(page.getByRole('link', { name: 'Văn bản đến', exact: true })).toBeVisible();
}

/** Settings → "Máy chủ liên thông": connects the app to the exchange server as `username`. */
export async function connectToServer(page: Page, serverUrl: string, username: string, password: string): Promise<void> {
  await page.getByRole('link', { name: 'Cài đặt', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Máy chủ liên thông' })).toBeVisible();
  await field(page, 'Địa chỉ máy chủ').fill(serverUrl);
  await field(page, 'Tên đăng nhập').fill(username);
  await field(page, 'Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Kết nối', exact: true }).click();
  await expect(page.getByText('Đã kết nối máy chủ liên thông.')).toBeVisible();
  await expect(field(page, 'Mật khẩu')).toHaveValue('');
}
