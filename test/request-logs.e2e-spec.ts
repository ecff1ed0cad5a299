import {
  eventually,
  isolatedDatabaseNames,
  ServiceProcess,
  type ServiceExit,
} from './support/service-process';
import type { DatabaseNames } from './support/test-app';
import { DatabaseInspector } from './support/test-app';

const RECORD_ID = '0123456789abcdef01234567';

/** The service's own stdout (a pipe, so JSON), one request at a time. */
describe('Request logs', () => {
  const databases: DatabaseNames[] = [];
  const services: ServiceProcess[] = [];

  afterAll(async () => {
    await Promise.all(services.map((service): Promise<ServiceExit> => service.stop()));
    for (const names of databases) {
      const db = await DatabaseInspector.connect(undefined, names);
      await db.drop();
      await db.close();
    }
  });

  async function start(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const names = isolatedDatabaseNames('logs');
    databases.push(names);
    const service = await ServiceProcess.start(names, env);
    services.push(service);
    return service;
  }

  /** Sends one request with a known id and returns the line that logged its completion. */
  async function completionLine(service: ServiceProcess, requestId: string): Promise<string> {
    await service.http.get(`/org/records/${RECORD_ID}`).set('X-Request-Id', requestId).expect(401);
    return eventually(async () => {
      const line = service.output.find(
        (candidate) => candidate.includes(requestId) && candidate.includes('request completed'),
      );
      if (!line)
        throw new Error(`no completion line for ${requestId}:\n${service.output.join('\n')}`);
      return Promise.resolve(line);
    });
  }

  it.each([
    ['in production and tests', {}],
    ['in development when the output is not a terminal', { NODE_ENV: 'development' }],
  ])(
    'logs each request as one JSON line with method, route, status, duration and id %s',
    async (_case, env) => {
      const service = await start(env);
      const line = await completionLine(service, 'log-line-check');

      const entry = JSON.parse(line);
      expect(entry).toMatchObject({
        level: 30,
        msg: 'request completed',
        req: { id: 'log-line-check', method: 'GET', url: `/org/records/${RECORD_ID}` },
        route: '/org/records/:id',
        res: { statusCode: 401 },
        responseTime: expect.any(Number),
      });
      expect(Object.keys(entry.req).sort()).toEqual(['id', 'method', 'url']);
      expect(Object.keys(entry.res)).toEqual(['statusCode']);
      expect(line).not.toMatch(/headers|content-security-policy|authorization/i);
    },
  );
});
