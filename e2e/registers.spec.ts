import type { Page } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { expect, snapshot, test } from './fixtures.js';
import { action, agency, choose, completeSetup, dayBefore, field } from './steps.js';

const documents = [
  { sender: 'Sở Nội vụ thành phố Hà Nội', number: '125', notation: 'SNV-VTLT', subject: 'Về việc tổ chức hội nghị tổng kết công tác văn thư, lưu trữ năm 2025' },
  { sender: 'Sở Tài chính thành phố Hà Nội', number: '88', notation: 'STC-NS', subject: 'Về việc hướng dẫn quyết toán ngân sách năm 2025' },
];

/** The page's globals this spec touches (e2e code is compiled without the DOM library). */
interface PageGlobals {
  print: () => void;
  printedRows?: number;
  dispatchEvent: (event: Event) => boolean;
  document: { querySelectorAll: (selector: string) => { length: number } };
  getComputedStyle: (element: unknown) => { display: string; breakInside: string };
}

async function registerIncoming(page: Page, doc: (typeof documents)[number]): Promise<void> {
  await page.getByRole('link', { name: 'Văn bản đến', exact: true }).click();
  await action(page, 'Vào sổ văn bản đến').click();
  await field(page, 'Nơi gửi').fill(doc.sender);
  await field(page, 'Số').fill(doc.number);
  await field(page, 'Ký hiệu').fill(doc.notation);
  await field(page, 'Ngày văn bản').fill(dayBefore(2));
  await choose(field(page, 'Loại văn bản'), 'Công văn');
  await field(page, 'Trích yếu').fill(doc.subject);
  await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  await expect(page.getByText(/Đã vào sổ văn bản đến/).first()).toBeVisible();
}

test('sổ đăng ký văn bản đến: xem theo thứ tự số đến và in (A4 ngang)', async ({ page }) => {
  await completeSetup(page);
  for (const doc of documents) await registerIncoming(page, doc);

  await page.getByRole('link', { name: 'Sổ đăng ký', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sổ đăng ký văn bản' })).toBeVisible();
  await expect(field(page, 'Sổ')).toHaveValue('incoming');
  const table = page.getByRole('table', { name: 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN' });
  await expect(table).toBeVisible();
  await expect(page.getByText(agency.name).first()).toBeVisible();

  // Phụ lục IV columns, số đến as each row's header, rows in số đến order.
  await expect(table.getByRole('columnheader')).toHaveText([
    'Ngày đến',
    'Số đến',
    'Tác giả',
    'Số, ký hiệu',
    'Ngày tháng',
    'Tên loại và trích yếu nội dung',
    'Đơn vị hoặc người nhận',
    'Ký nhận',
    'Ghi chú',
  ]);
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.locator('th[scope="row"]')).toHaveText(['1', '2']);
  await expect(rows.nth(0)).toContainText(documents[0]!.subject);
  await expect(rows.nth(0)).toContainText(`${documents[0]!.number}/${documents[0]!.notation}`);
  await expect(rows.nth(1)).toContainText(documents[1]!.subject);
  await expect(page.getByText('Văn bản 1–2 trong tổng số 2')).toBeVisible();
  await snapshot(page, 'so-dang-ky-van-ban-den');

  // The outgoing register of the year is still empty; the secret series is apart.
  await field(page, 'Sổ').selectOption('outgoing');
  await expect(page.getByText('Sổ chưa có văn bản nào trong năm hoặc khoảng ngày đã chọn.')).toBeVisible();
  await field(page, 'Sổ').selectOption('incoming');
  await field(page, 'Loại sổ').selectOption('secret');
  await expect(page.getByText(/chỉ người được giao quản lý văn bản mật/)).toBeVisible();
  await expect(page.getByText('Sổ chưa có văn bản nào trong năm hoặc khoảng ngày đã chọn.')).toBeVisible();
  await field(page, 'Loại sổ').selectOption('ordinary');
  await expect(rows).toHaveCount(2);

  // Print media: the app's chrome and the choices are hidden; headings repeat (thead), rows do not split.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Điều hướng chính' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'In sổ' })).toBeHidden();
  await expect(field(page, 'Sổ')).toBeHidden();
  await expect(table).toBeVisible();
  const layout = await table.evaluate((el) => {
    const w = globalThis as unknown as PageGlobals;
    const header = el.querySelector('th[scope="col"]');
    const row = el.querySelector('tbody tr');
    return {
      headerInThead: header?.parentElement?.parentElement?.tagName,
      theadDisplay: w.getComputedStyle(el.querySelector('thead')).display,
      rowBreak: row ? w.getComputedStyle(row).breakInside : null,
    };
  });
  expect(layout).toEqual({ headerInThead: 'THEAD', theadDisplay: 'table-header-group', rowBreak: 'avoid' });
  await snapshot(page, 'so-dang-ky-ban-in');
  await page.emulateMedia({ media: 'screen' });

  // "In sổ": the whole register is rendered into the print sheet, then window.print() is called
  // (replaced here: headless browsers have no print dialog).
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    w.print = () => {
      w.printedRows = w.document.querySelectorAll('.register-sheet--print tbody tr').length;
    };
  });
  await page.getByRole('button', { name: 'In sổ' }).click();
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).printedRows)).toBe(2);
  const sheet = page.locator('.register-sheet--print');
  await expect(sheet).toBeHidden(); // on screen
  await page.emulateMedia({ media: 'print' });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByText('Từ số 1 đến số 2')).toBeVisible();
  await expect(page.locator('.register-sheet--screen')).toBeHidden();

  if (process.env['VANTHU_E2E_TARGET'] !== 'electron') {
    // Chromium's own PDF printing (not available in Electron through Playwright).
    const bytes = await page.pdf({ preferCSSPageSize: true });
    await test.info().attach('so-dang-ky.pdf', { body: bytes, contentType: 'application/pdf' });
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    const { width, height } = pdf.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([842, 595]); // A4 landscape, in points
  }

  // After printing the print sheet is dropped.
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => (globalThis as unknown as PageGlobals).dispatchEvent(new Event('afterprint')));
  await expect(sheet).toHaveCount(0);
});
