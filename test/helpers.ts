import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openServices, type AppServices } from '../src-main/app/services.js';
import { completeSetup } from '../src-main/documents/masterData.js';
import type { IncomingRegisterInput } from '../src-main/api/contract.js';

const made: string[] = [];
const opened: AppServices[] = [];

afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vanthu-test-'));
  made.push(dir);
  return dir;
}

/** Services on a fresh data dir, with the agency "UBND tỉnh Cao Bằng" set up. */
export function freshServices(options: { setup?: boolean; dataDir?: string } = {}): AppServices {
  const services = openServices({ dataDir: options.dataDir ?? tempDir(), host: 'cli' });
  opened.push(services);
  if (options.setup !== false) {
    completeSetup(services.db, {
      agency: { name: 'Ủy ban nhân dân tỉnh Cao Bằng', shortName: 'UBND', code: '000.00.00.H14', place: 'Cao Bằng' },
      units: [
        { name: 'Văn phòng', shortName: 'VP' },
        { name: 'Phòng Tài chính - Kế hoạch', shortName: 'TCKH' },
      ],
      user: { fullName: 'Đặng Thị Hằng', position: 'Văn thư', unitIndex: 0 },
    });
  }
  return services;
}

export function typeId(services: AppServices, name: string): number {
  const id = services.db.prepare('SELECT id FROM document_types WHERE name = ?').pluck().get(name);
  if (typeof id !== 'number') throw new Error(`no type ${name}`);
  return id;
}

export function incomingInput(services: AppServices, over: Partial<IncomingRegisterInput> = {}): IncomingRegisterInput {
  return {
    senderName: 'Sở Tài chính tỉnh Cao Bằng',
    codeNumber: '123',
    codeNotation: 'STC-NS',
    documentDate: '2026-03-02',
    typeId: typeId(services, 'Công văn'),
    subject: 'Về việc quyết toán ngân sách năm 2025',
    urgency: 0,
    confidentiality: 0,
    recipientUnitId: null,
    recipientPerson: null,
    dueDate: null,
    note: null,
    confirmDuplicate: false,
    arrivalDate: '2026-03-04',
    ...over,
  };
}
