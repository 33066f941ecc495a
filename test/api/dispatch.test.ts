import { describe, expect, it } from 'vitest';
import { channels } from '../../src-main/api/channels.js';
import { contract } from '../../src-main/api/contract.js';
import { dispatch } from '../../src-main/api/dispatch.js';
import { call } from '../call.js';
import { freshServices } from '../helpers.js';

describe('API boundary', () => {
  it('declares every channel once, namespaced domain:verb, with a handler for each', () => {
    const s = freshServices();
    expect(new Set(channels).size).toBe(channels.length);
    for (const c of channels) expect(c).toMatch(/^[a-z][A-Za-z]*:[a-z][A-Za-z]*$/);
    expect(Object.keys(contract).sort()).toEqual([...channels].sort());
    expect(Object.keys(s.handlers).sort()).toEqual([...channels].sort());
  });

  it('rejects unknown channels and prototype tricks', async () => {
    const s = freshServices();
    for (const channel of ['fs:readFile', '__proto__', 'constructor', 42, null]) {
      const r = await dispatch(s.handlers, channel, {});
      expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Unknown channel' } });
    }
  });

  it('rejects unexpected keys and wrong types before any handler runs', async () => {
    const s = freshServices();
    const extra = await dispatch(s.handlers, 'documents:get', { id: 1, sql: 'DROP TABLE documents' });
    expect(extra.ok ? 'ok' : extra.error.code).toBe('INVALID_INPUT');
    const wrong = await dispatch(s.handlers, 'documents:list', { limit: 10_000 });
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('INVALID_INPUT');
    const code = await dispatch(s.handlers, 'agency:update', { name: 'X', shortName: 'X', code: '12.34', place: 'Y' });
    expect(code.ok ? 'ok' : (code.error.details as Array<{ path: string }>)[0]?.path).toBe('code');
  });

  it('turns domain errors into stable codes and hides internal ones', async () => {
    const s = freshServices({ setup: false });
    const info = await call(s.handlers, 'app:info', {});
    expect(info.ok && info.value.setupDone).toBe(false);
    const r = await call(s.handlers, 'outgoing:saveDraft', { typeId: 1, subject: 'x' });
    expect(r.ok ? 'ok' : r.error.code).toBe('SETUP_REQUIRED');
    const missing = await call(s.handlers, 'documents:get', { id: 12345 });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('NOT_FOUND');
  });

  it('completes first-run setup once, and master data edits are audited', async () => {
    const s = freshServices({ setup: false });
    const setup = {
      agency: { name: 'UBND xã Hưng Đạo', shortName: 'UBND', code: '001.02.03.H14', place: 'Cao Bằng' },
      units: [{ name: 'Văn phòng - Thống kê', shortName: 'VP' }],
      user: { fullName: 'Nông Thị Lan', position: 'Công chức Văn phòng', unitIndex: 0 },
    };
    const done = await call(s.handlers, 'setup:complete', setup);
    expect(done.ok && [done.value.agency?.code, done.value.user?.unitId, done.value.documentTypes.length]).toEqual(['001.02.03.H14', 1, 29]);
    const twice = await call(s.handlers, 'setup:complete', setup);
    expect(twice.ok ? 'ok' : twice.error.code).toBe('CONFLICT');
    const clash = await call(s.handlers, 'units:save', { name: 'Khác', shortName: 'VP' });
    expect(clash.ok ? 'ok' : clash.error.code).toBe('CONFLICT');
    const type = await call(s.handlers, 'documentTypes:save', { id: 20, name: 'Bản ghi nhớ', abbreviation: 'BGN' });
    expect(type.ok && type.value.documentTypes.find((t) => t.id === 20)).toMatchObject({ abbreviation: 'BGN', contested: false });
    expect(s.db.prepare('SELECT action FROM audit_log ORDER BY id').pluck().all()).toEqual(['setup.complete', 'documentType.save']);
  });
});
