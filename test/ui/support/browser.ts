// Debian's chromium driven by playwright-core for the dashboard suite: one headless browser,
// a laptop-sized page, every console error and uncaught page error collected for the asserts.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Installed by scripts/setup-test-host.sh (Debian package chromium); MCR_CHROMIUM overrides. */
export const CHROMIUM_PATH = process.env.MCR_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots of each view land here; CI keeps the folder as the suite's artifact. */
export const ARTIFACTS_DIR = process.env.MCR_TEST_ARTIFACTS ?? path.resolve(__dirname, '../../artifacts/dashboard');

export const LAPTOP_VIEWPORT = { width: 1366, height: 768 };

export interface DashboardBrowser {
  browser: Browser;
  page: Page;
  /** Console errors and uncaught exceptions, as text, in the order they happened. */
  errors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<DashboardBrowser> {
  // --no-sandbox: the suites run as root, where chromium refuses its sandbox.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: LAPTOP_VIEWPORT });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    browser,
    page,
    errors,
    screenshot: async (name) => {
      const file = path.join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => browser.close(),
  };
}
