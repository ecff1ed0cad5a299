import { request as httpRequest } from 'node:http';
import { bearer, createOrganization, type CreatedOrganization } from './support/factories';
import { isolatedDatabaseNames, ServiceProcess } from './support/service-process';
import { DatabaseInspector } from './support/test-app';

const MEMORY_BUDGET_BYTES = 1024 * 1024 * 1024;
const RECORD_BYTES = 250 * 1024;
const LINES_PER_IMPORT = 40;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/**
 * Sends an NDJSON import as a client like curl does: an answer that comes before the body
 * is all sent (a refusal) is read, and the rest of the upload is abandoned.
 */
function sendImport(url: string, token: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/org/import`, {
      method: 'POST',
      headers: { ...bearer(token), 'Content-Type': 'application/x-ndjson' },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode!,
          headers: response.headers,
          body: JSON.parse(text) as Record<string, unknown>,
        }),
      );
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    request.end(body);
  });
}

/**
 * One tenant (or several) sending many large imports at once: memory stays within the
 * documented budget, every answer is 200, 429 or 503, and the service still serves.
 */
describe('concurrent large imports', () => {
  let names: ReturnType<typeof isolatedDatabaseNames>;
  let db: DatabaseInspector;
  let service: ServiceProcess;
  let orgs: CreatedOrganization[];

  beforeAll(async () => {
    names = isolatedDatabaseNames('imports');
    db = await DatabaseInspector.connect(undefined, names);
    service = await ServiceProcess.start(names);
    orgs = [];
    for (let index = 0; index < 4; index += 1) orgs.push(await createOrganization(service.http));
  });
  afterAll(async () => {
    await service.stop();
    await db.drop();
    await db.close();
  });

  it('keeps memory within budget and answers 200, 429 or 503 to 48 imports of 10 MB', async () => {
    const line = JSON.stringify({ blob: 'x'.repeat(RECORD_BYTES - 20) });
    const body = Array.from({ length: LINES_PER_IMPORT }, () => line).join('\n');
    const imports = Array.from({ length: 48 }, (_, index) =>
      sendImport(service.url, orgs[index % orgs.length].token, body),
    );
    const responses = await Promise.all(imports);

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => ![200, 429, 503].includes(status))).toEqual([]);
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
    for (const response of responses.filter(({ status }) => status !== 200)) {
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    const imported = responses
      .filter(({ status }) => status === 200)
      .reduce((sum, response) => sum + (response.body.imported as number), 0);
    expect(imported).toBe(statuses.filter((status) => status === 200).length * LINES_PER_IMPORT);
    let stored = 0;
    for (const org of orgs) {
      stored += await db.tenants.collection(`org_${org.input.organization_name}`).countDocuments();
    }
    expect(stored).toBe(imported);
    expect(service.peakMemoryBytes()).toBeLessThan(MEMORY_BUDGET_BYTES);
    await service.http
      .get('/org/get')
      .query({ organization_name: orgs[0].input.organization_name })
      .expect(200);
  }, 180_000);

  it('ends floods of empty lines quickly, without holding the event loop', async () => {
    const flood = '\n'.repeat(20 * 1024 * 1024);
    const imports = orgs.flatMap((org) =>
      [0, 1].map(() => sendImport(service.url, org.token, flood)),
    );
    const responses = await Promise.all(imports);
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ imported: 0, refused: 1_001, stopped_at_line: 1_001 });
    }
  }, 120_000);
});
