/**
 * A handful of SIGKILLs of a real client process during pull, accept and push (the 100+
 * runs are in bench/chaos.ts). Uses the built bench/chaos.js as the child.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chaosScenario } from '../../bench/chaos.js';

describe('client killed with SIGKILL during sync', () => {
  it('loses nothing, duplicates nothing, numbers stay consecutive, sync completes after restart', async () => {
    expect(fs.existsSync(path.resolve('dist/main/bench/chaos.js')), 'run `npm run build` first').toBe(true);
    const result = await chaosScenario({ documents: 40, outgoing: 3, kills: 5, maxKillMs: 150 });
    expect(result.problems).toEqual([]);
    // A child that finishes before its kill time is not counted; timing on a busy machine varies.
    expect(result.kills).toBeGreaterThanOrEqual(1);
  }, 170_000);
});
