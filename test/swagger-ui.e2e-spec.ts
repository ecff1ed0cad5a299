import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createOrganization, type CreatedOrganization } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

/** Debian's package (installed by .ci/run); playwright-core downloads no browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = join(__dirname, '..', 'reports', 'swagger-ui.png');
const BROWSER_TEST_TIMEOUT_MS = 120_000;

/** Swagger UI as a person uses it, in a real browser against the real service. */
describe('Swagger UI in Chromium', () => {
  let t: TestContext;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let org: CreatedOrganization;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install Debian's chromium package ` +
          '(apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH',
      );
    }
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    org = await createOrganization(t.http);
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console error: ${message.text()}`);
    });
  }, BROWSER_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it(
    'shows every operation, authorizes with a bearer token and runs two operations',
    async () => {
      const { body: document } = await t.http.get('/docs-json').expect(200);
      const documented = Object.entries(document.paths as Record<string, object>)
        .flatMap(([path, operations]) =>
          Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
        )
        .sort();

      await page.goto(`${baseUrl}/docs`);
      await page.locator('.opblock').first().waitFor();
      const shown = await page
        .locator('.opblock-summary')
        .evaluateAll((summaries) =>
          summaries.map(
            (summary) =>
              `${summary.querySelector('.opblock-summary-method')?.textContent} ` +
              `${summary.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
          ),
        );
      expect(shown.sort()).toEqual(documented);

      await authorize(page, org.token);
      mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // With the token, the organization's own admin also sees its email.
      const get = await tryItOut(page, 'operations-organization-OrganizationController_get', {
        parameters: { organization_name: org.input.organization_name },
      });
      expect(get.status).toBe('200');
      expect(JSON.parse(get.body)).toMatchObject({
        organization_id: org.id,
        admin: { id: org.adminId, email: org.input.email },
      });

      const created = await tryItOut(page, 'operations-records-RecordsController_create', {
        body: JSON.stringify({ sku: 'from-swagger-ui', price: "$' and $&" }),
      });
      expect(created.status).toBe('201');
      const record = JSON.parse(created.body);
      expect(record.data).toEqual({ sku: 'from-swagger-ui', price: "$' and $&" });
      const stored = await t.db.tenants
        .collection(`org_${org.input.organization_name}`)
        .findOne({ sku: 'from-swagger-ui' });
      expect(stored?._id.toString()).toBe(record.id);

      expect(pageErrors).toEqual([]);
    },
    BROWSER_TEST_TIMEOUT_MS,
  );
});

async function authorize(page: Page, token: string): Promise<void> {
  await page.locator('.auth-wrapper button.authorize').click();
  // The admin scheme's form; the operator key has a form of its own below it.
  const dialog = page.locator('.modal-ux').locator('form').first();
  await dialog.locator('input').fill(token);
  await dialog.locator('button.authorize').click();
  await dialog.locator('button.btn-done').click();
  await page.locator('.auth-wrapper button.authorize.locked').waitFor();
}

interface TryItOutInput {
  parameters?: Record<string, string>;
  body?: string;
}

/** Opens an operation, presses Try it out, fills it in, presses Execute; returns the answer. */
async function tryItOut(
  page: Page,
  operationId: string,
  { parameters = {}, body }: TryItOutInput,
): Promise<{ status: string; body: string }> {
  const operation = page.locator(`#${operationId}`);
  await operation.locator('.opblock-summary').click();
  await operation.locator('button.try-out__btn').click();
  for (const [name, value] of Object.entries(parameters)) {
    await operation.locator(`tr[data-param-name="${name}"] input`).fill(value);
  }
  if (body !== undefined) await operation.locator('textarea.body-param__text').fill(body);
  await operation.locator('button.execute').click();
  const answer = operation.locator('.live-responses-table .response');
  await answer.waitFor();
  return {
    status: (await answer.locator('.response-col_status').innerText()).trim(),
    body: await answer.locator('.response-col_description pre.microlight').first().innerText(),
  };
}
