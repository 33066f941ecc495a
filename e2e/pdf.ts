/**
 * Fixture PDFs are generated, never committed: an official-document-like HTML
 * page with Vietnamese text, printed to PDF by Chromium.
 */
import type { Browser } from '@playwright/test';

export interface PdfContent {
  agency: string;
  code: string;
  place: string;
  subject: string;
  body: string;
}

export async function officialPdf(browser: Browser, content: PdfContent): Promise<Buffer> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.setContent(html(content));
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '20mm', bottom: '20mm', left: '30mm', right: '15mm' } });
  } finally {
    await context.close();
  }
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

function html(content: PdfContent): string {
  const e = (text: string) => escape(text);
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><style>
  body { font-family: 'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif; font-size: 14pt; }
  .head { display: flex; justify-content: space-between; text-align: center; font-size: 13pt; }
  h1 { text-align: center; font-size: 14pt; margin-top: 2em; }
  .subject { text-align: center; font-weight: bold; }
  p.body { text-align: justify; text-indent: 1cm; line-height: 1.5; }
</style></head><body>
  <div class="head">
    <div><div>${e(content.agency.toUpperCase())}</div><div>Số: ${e(content.code)}</div></div>
    <div><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong><div><strong>Độc lập - Tự do - Hạnh phúc</strong></div>
    <div><em>${e(content.place)}, ngày 15 tháng 3 năm 2026</em></div></div>
  </div>
  <h1>CÔNG VĂN</h1>
  <p class="subject">${e(content.subject)}</p>
  <p class="body">${e(content.body)}</p>
</body></html>`;
}
