import { expect, snapshot, test } from './fixtures.js';
import { officialPdf } from './pdf.js';
import { action, choose, completeSetup, dayBefore, field } from './steps.js';

const subject = 'Về việc tổ chức hội nghị tổng kết công tác văn thư, lưu trữ năm 2025';

test('vào sổ văn bản đến có tệp PDF, tìm không dấu và xem trang 1', async ({ page, chromiumBrowser }) => {
  await completeSetup(page);
  const pdf = await officialPdf(chromiumBrowser, {
    agency: 'Sở Nội vụ thành phố Hà Nội',
    code: '125/SNV-VTLT',
    place: 'Hà Nội',
    subject,
    body: 'Thực hiện kế hoạch công tác năm, Sở Nội vụ đề nghị các cơ quan, đơn vị chuẩn bị báo cáo tổng kết công tác văn thư, lưu trữ và cử đại diện tham dự hội nghị.',
  });

  await page.getByRole('link', { name: 'Văn bản đến', exact: true }).click();
  await action(page, 'Vào sổ văn bản đến').click();
  await field(page, 'Nơi gửi').fill('Sở Nội vụ thành phố Hà Nội');
  await field(page, 'Số').fill('125');
  await field(page, 'Ký hiệu').fill('SNV-VTLT');
  await field(page, 'Ngày văn bản').fill(dayBefore(3));
  await choose(field(page, 'Loại văn bản'), 'Công văn');
  await field(page, 'Trích yếu').fill(subject);
  await field(page, 'Độ khẩn').selectOption({ label: 'Khẩn' });
  await field(page, 'Tệp PDF').setInputFiles({ name: 'cong-van-125-SNV.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(page.getByText(/cong-van-125-SNV\.pdf/)).toBeVisible();
  await snapshot(page, 'vao-so-van-ban-den');
  await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  await expect(page.getByText(/Đã vào sổ văn bản đến/).first()).toBeVisible();

  const search = page.getByRole('searchbox', { name: 'Tìm kiếm' }).or(page.getByRole('textbox', { name: 'Tìm kiếm' })).first();
  await search.fill('to chuc hoi nghi tong ket cong tac van thu');
  await search.press('Enter');
  const hit = page.getByRole('link', { name: /tổ chức hội nghị tổng kết/ }).first();
  await expect(hit).toBeVisible();
  await snapshot(page, 'ket-qua-tim-kiem');
  await hit.click();

  await expect(page.getByText(subject).first()).toBeVisible();
  await expect(page.locator('canvas[aria-label="Trang 1"][data-rendered="true"]')).toBeVisible({ timeout: 20_000 });
  await snapshot(page, 'chi-tiet-van-ban-den');
});
