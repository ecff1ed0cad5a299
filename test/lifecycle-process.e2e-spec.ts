import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../src/database/embedded-database';
import { bearer, createOrganization, organizationInput, uniqueName } from './support/factories';
import { eventually, isolatedDatabaseNames, ServiceProcess } from './support/service-process';
import { DatabaseInspector } from './support/test-app';

const UNAVAILABLE = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'The database is unavailable; try again shortly',
};

describe('the service process', () => {
  const services: ServiceProcess[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
  });

  describe('during a database outage', () => {
    let dataDir: string;
    let database: EmbeddedDatabase;

    beforeEach(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'outage-'));
      database = await startEmbeddedDatabase(dataDir);
    });
    afterEach(async () => {
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers 503 fast, reports not ready, and recovers by itself when the database returns', async () => {
      const port = Number(new URL(database.uri).port);
      const service = await ServiceProcess.start(isolatedDatabaseNames('outage'), {
        MONGODB_URI: database.uri,
        RECONCILE_INTERVAL_MS: '500',
      });
      services.push(service);
      const org = await createOrganization(service.http);
      const name = org.input.organization_name;
      await service.http.get('/health/ready').expect(200);

      await database.stop();

      const started = Date.now();
      const read = await service.http
        .get('/org/get')
        .query({ organization_name: name })
        .expect(503);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(read.headers['retry-after']).toBe('5');
      expect(read.body).toEqual(UNAVAILABLE);
      const write = await service.http.post('/org/create').send(organizationInput()).expect(503);
      expect(write.body).toEqual(UNAVAILABLE);
      const update = await service.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ organization_name: uniqueName() })
        .expect(503);
      expect(update.body).toEqual(UNAVAILABLE);
      const ready = await service.http.get('/health/ready').expect(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        error: { database: { status: 'down' } },
      });
      await service.http.get('/health/live').expect(200);

      database = await startEmbeddedDatabase(dataDir, { port });

      await eventually(() => service.http.get('/health/ready').expect(200), 30_000, 500);
      await service.http.get('/org/get').query({ organization_name: name }).expect(200);
      const newName = uniqueName('after-outage');
      await service.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ organization_name: newName })
        .expect(200);
      await service.http.get('/org/get').query({ organization_name: newName }).expect(200);
    });
  });

  it('starts an embedded database of its own when MONGODB_URI is empty', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-'));
    try {
      const service = await ServiceProcess.start(isolatedDatabaseNames('embedded'), {
        MONGODB_URI: '',
        DATA_DIR: dataDir,
      });
      services.push(service);
      await createOrganization(service.http);
      await service.http.get('/health/ready').expect(200);
      expect(service.output.join('\n')).toContain('MONGODB_URI is not set: started an embedded');
      await service.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('finishes the request in flight on SIGTERM, then exits 0', async () => {
    const names = isolatedDatabaseNames('sigterm');
    const db = await DatabaseInspector.connect(undefined, names);
    try {
      // A costly hash keeps the create in flight long enough to signal during it.
      const service = await ServiceProcess.start(names, { BCRYPT_COST: '13' });
      services.push(service);
      const input = organizationInput();
      const inFlight = service.http
        .post('/org/create')
        .send(input)
        .then((response) => response);
      await new Promise((resolve) => setTimeout(resolve, 300));

      service.signal('SIGTERM');

      const response = await inFlight;
      expect(response.status).toBe(201);
      expect(await service.exited).toEqual({ code: 0, signal: null });
      expect(await db.organization(input.organization_name)).toMatchObject({ status: 'active' });
      expect(service.output.join('\n')).toContain('SIGTERM received');
    } finally {
      await db.drop();
      await db.close();
    }
  });
});
