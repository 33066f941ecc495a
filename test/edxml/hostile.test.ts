import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/api/errors.js';
import { parseAny, parseEdxml } from '../../src-main/edxml/index.js';
import { hostileCorpus } from './hostileCorpus.js';
import { skeletonXml } from './skeleton.js';
import { testNow } from './fixtures.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('hostile corpus', () => {
  it('starts from a package that is itself accepted', () => {
    expect(parseEdxml(new TextEncoder().encode(skeletonXml()), { now: testNow }).attachments).toHaveLength(2);
  });

  for (const c of hostileCorpus()) {
    it(`rejects: ${c.name}`, () => {
      const memoryBefore = process.memoryUsage();
      const started = performance.now();
      const error = caught(() => parseAny(c.bytes, { ...c.limits, now: testNow }));
      const elapsed = performance.now() - started;
      const memoryAfter = process.memoryUsage();

      expect(error).toBeInstanceOf(AppError);
      const appError = error as AppError;
      expect({ code: appError.code, message: appError.message }).toMatchObject({ code: c.code, message: expect.stringMatching(c.message) });
      expect(appError.message.startsWith('edXML: ')).toBe(true);
      // Trivial cost: no expansion, no inflating past the limits.
      expect(elapsed).toBeLessThan(1500);
      const grown = memoryAfter.arrayBuffers - memoryBefore.arrayBuffers;
      expect(grown).toBeLessThan(24 * 1024 * 1024);
    });
  }
});
