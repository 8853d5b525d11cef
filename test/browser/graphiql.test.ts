// GraphiQL in a real browser (headless Chromium driven by playwright-core), on a test gateway in sandbox mode: it
// loads from the gateway alone, runs an example query and shows the data, its docs explorer shows the SDL's
// descriptions, and its headers editor sends headers. Every request the page makes is recorded: none may go to
// another host. A screenshot of the result is kept in test-artifacts/graphiql.png.
//
// Chromium: Debian's (`apt-get install chromium`; `.ci/run` installs it), or the binary CHROMIUM_PATH names. Without
// it the suite is skipped locally, and fails in CI (CI=true): never `npx playwright install`, which downloads one.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const IN_CI = process.env.CI === 'true';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** PLATFORM.md: the flags that keep Chromium quiet and offline, with a fresh profile per run. */
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TIMEOUT = 30_000;

if (!HAVE_CHROMIUM) {
  describe('GraphiQL in a browser', () => {
    const missing = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
    if (IN_CI) {
      it('has a Chromium to run in (required in CI)', () => {
        throw new Error(`CI=true and ${missing}: .ci/run installs it`);
      });
    } else {
      it.skip(`skipped: ${missing}; with CI=true this fails instead`, () => {});
    }
  });
} else {
  describe('GraphiQL in a browser', () => {
    let gw: TestGateway;
    let profile: string;
    let context: BrowserContext;
    let page: Page;
    const requests: string[] = [];
    const consoleErrors: string[] = [];

    beforeAll(async () => {
      // Imports long enough to watch their states go by.
      gw = await startTestGateway({ sandbox: { jobDurationMs: 4_000 } });
      profile = mkdtempSync(join(tmpdir(), 'imagegraph-chromium-'));
      // `--user-data-dir` cannot go in `args` with playwright: a persistent context is how it takes one.
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: LAUNCH_ARGS,
        timeout: TIMEOUT,
      });
      context.setDefaultTimeout(TIMEOUT);
      // Context-wide, so requests of any page or worker are seen.
      context.on('request', (request) => requests.push(request.url()));
      page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      await page.goto(`${gw.url}/`);
      await page.waitForSelector('.graphiql-container .graphiql-execute-button');
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
      await gw?.close();
    });

    it('opens with the example tabs, one per domain', async () => {
      const tabs = await page.locator('.graphiql-tab-button').allTextContents();
      expect(tabs).toEqual(
        expect.arrayContaining([
          'ImagesWithSources',
          'PackagesWithApps',
          'RepositoriesWithRegistries',
          'ImagesAcrossPlatforms',
          'GlobalIds',
        ]),
      );
    });

    it('runs the first example and shows its data in the result pane, with no headers in sandbox mode', async () => {
      const expected = await gw.gql('{ images(first: 1) { nodes { name } } }');
      const firstName: string = expected.data!.images.nodes[0].name;
      await page.locator('.graphiql-tab-button', { hasText: 'ImagesWithSources' }).click();
      await page.click('.graphiql-execute-button');
      const result = page.locator('.result-window');
      await result.getByText(`"${firstName}"`).first().waitFor();
      const text = (await result.textContent()) ?? '';
      expect(text).toContain('"images"');
      expect(text).not.toContain('"errors"');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png') });
      expect(existsSync(join(ARTIFACTS, 'graphiql.png'))).toBe(true);
    });

    it('opens the docs explorer on the SDL descriptions', async () => {
      await page.click('button[aria-label="Show Documentation Explorer"]');
      const docs = page.locator('.graphiql-doc-explorer');
      await docs
        .locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ })
        .first()
        .click();
      await docs.getByText('The root of every query.').waitFor();
      await docs.getByText('Images of the hub, a page at a time.').waitFor();
      await docs
        .locator('a.graphiql-doc-explorer-type-name', { hasText: /^Node$/ })
        .first()
        .click();
      await docs
        .getByText(/Opaque global id/)
        .first()
        .waitFor();
    });

    it('has a headers editor whose headers go with the request', async () => {
      await page.getByRole('button', { name: 'Headers', exact: true }).click();
      // The tools section holds both editors and hides the inactive one.
      const editor = page.locator(
        'section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror',
      );
      await editor.waitFor({ state: 'visible' });
      // Set the text through CodeMirror itself: typing would meet its bracket auto-closing.
      await editor.evaluate((element) =>
        (element as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(
          '{"x-request-id": "graphiql-browser-test"}',
        ),
      );
      // Headers belong to the tab: run the active one (ImagesWithSources) again.
      const [response] = await Promise.all([
        page.waitForResponse(
          (r) =>
            new URL(r.url()).pathname === '/graphql' &&
            r.request().headers()['x-request-id'] === 'graphiql-browser-test',
        ),
        page.click('.graphiql-execute-button'),
      ]);
      expect(response.status()).toBe(200);
      expect(response.headers()['x-request-id']).toBe('graphiql-browser-test');
      expect(
        gw.logLines.some(
          (line) => line.requestId === 'graphiql-browser-test' && line.operationName === 'ImagesWithSources',
        ),
      ).toBe(true);
    });

    it('runs the import example and watches the image over WebSocket until LIVE', async () => {
      await page.locator('.graphiql-tab-button', { hasText: 'ImportImage' }).click();
      const runOperation = async (name: string) => {
        // GraphiQL parses a tab's document a moment after the tab opens; until then the run button would run the
        // previous tab's operation. Once it has this tab's two operations, the button becomes a menu of them.
        const runMenu = page.locator('.graphiql-execute-button[aria-haspopup="menu"]');
        await runMenu.waitFor();
        await runMenu.click();
        // With two operations in the document, the run button asks which one. Chosen with the keyboard: a pointer
        // click that lands while the menu is still opening is ignored by the menu.
        const item = page.getByRole('menuitem', { name });
        await item.focus();
        await item.press('Enter');
      };
      await runOperation('ImportImage');
      const result = page.locator('.result-window');
      await result.getByText('"importJob"').waitFor();
      const imported = /"id": "([0-9a-f]{24})"/.exec((await result.textContent()) ?? '');
      expect(imported).not.toBeNull();
      await page.getByRole('button', { name: 'Variables', exact: true }).click();
      const variables = page.locator(
        'section.graphiql-editor-tool[aria-label="Variables"] .graphiql-editor:not(.hidden) .CodeMirror',
      );
      await variables.waitFor({ state: 'visible' });
      await variables.evaluate(
        (element, id) =>
          (element as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(
            JSON.stringify({ id }),
          ),
        imported![1],
      );
      const socketOpened = page.waitForEvent('websocket');
      await runOperation('WatchImage');
      const socket = await socketOpened;
      expect(new URL(socket.url()).pathname).toBe('/graphql');
      const states: string[] = [];
      socket.on('framereceived', (frame) => {
        const message = JSON.parse(String(frame.payload)) as { type: string; payload?: any };
        if (message.type === 'next') states.push(message.payload.data.imageState.state.current);
      });
      await result.getByText('"LIVE"').waitFor();
      await expect.poll(() => states.at(-1)).toBe('LIVE');
      expect(states.length).toBeGreaterThan(1);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'graphiql-subscription.png') });
      console.log(`GraphiQL subscription states over WebSocket: ${states.join(' → ')}`);
    });

    it('made no request to any host but the gateway, and logged no error (no CSP violation, no failed load)', () => {
      const gateway = new URL(gw.url).origin;
      const elsewhere = requests.filter(
        (url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== gateway,
      );
      expect(elsewhere).toEqual([]);
      expect(requests.some((url) => url.includes('/graphiql/assets/graphiql.js'))).toBe(true);
      expect(requests.filter((url) => new URL(url).pathname === '/graphql').length).toBeGreaterThanOrEqual(3);
      expect(consoleErrors).toEqual([]);
    });
  });
}
