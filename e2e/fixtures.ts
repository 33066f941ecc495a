/**
 * The e2e fixture: every test gets a FRESH temporary data dir and a `page` showing
 * the app. By default the preview host runs in-process and Debian's Chromium opens
 * it; with VANTHU_E2E_TARGET=electron the built Electron app is launched instead.
 * Specs do not care which. Any page error or console error (CSP violations
 * included) fails the test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test as base, expect, type Browser, type ConsoleMessage, type Page } from '@playwright/test';
import type { startPreviewHost as StartPreviewHost } from '../src-main/preview/server.js';

const root = path.resolve(import.meta.dirname, '..');
const target = process.env['VANTHU_E2E_TARGET'] === 'electron' ? 'electron' : 'preview';

export const chromiumLaunchOptions = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

interface WorkerFixtures {
  /** Debian's Chromium, shared by the tests of a worker (pages, PDF fixtures). */
  chromiumBrowser: Browser;
}

interface TestFixtures {
  dataDir: string;
  page: Page;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  chromiumBrowser: [
    async ({ playwright }, use) => {
      const browser = await playwright.chromium.launch(chromiumLaunchOptions);
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],

  // Playwright reads a fixture's dependencies from its destructuring pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vanthu-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },

  page: async ({ playwright, chromiumBrowser, dataDir }, use, testInfo) => {
    testInfo.annotations.push({ type: 'target', description: target });
    const problems: string[] = [];
    const watch = (page: Page): void => {
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message: ConsoleMessage) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
    };

    if (target === 'electron') {
      const app = await playwright._electron.launch({
        args: [path.join(root, 'dist/main/src-main/electron/main.js')],
        cwd: root,
        env: { ...process.env, VANTHU_DATA_DIR: dataDir },
      });
      const page = await app.firstWindow();
      watch(page);
      await page.waitForLoadState('domcontentloaded');
      await use(page);
      await app.close();
    } else {
      const { startPreviewHost } = (await import(pathToFileURL(path.join(root, 'dist/main/src-main/preview/server.js')).href)) as {
        startPreviewHost: typeof StartPreviewHost;
      };
      const host = await startPreviewHost({ dataDir, port: 0 });
      const context = await chromiumBrowser.newContext();
      const page = await context.newPage();
      watch(page);
      await page.goto(host.url);
      await use(page);
      await context.close();
      await host.close();
    }

    expect(problems, 'page errors, console errors or CSP violations').toEqual([]);
  },
});

export { expect };

/** Saves a screenshot of a key step as an artefact of the test. */
export async function snapshot(page: Page, name: string): Promise<void> {
  const file = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}
