import { organizationInput } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

describe('HTTP contract', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers malformed JSON with 400 and no parser detail', async () => {
    const response = await t.http
      .post('/org/create')
      .set('Content-Type', 'application/json')
      .send('{"organization_name": ')
      .expect(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Request body is not valid JSON',
    });
  });

  it('answers a body over 1 MB with 413 and creates nothing', async () => {
    const input = { ...organizationInput(), padding: 'x'.repeat(1024 * 1024) };
    const response = await t.http.post('/org/create').send(input).expect(413);
    expect(response.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is larger than the allowed limit',
    });
    expect(await t.db.organization(input.organization_name)).toBeNull();
  });

  it('answers an unknown route with the same error body', async () => {
    const response = await t.http.get('/nope').expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /nope',
    });
  });

  it('answers /metrics like an unknown route while METRICS_TOKEN is unset', async () => {
    const response = await t.http
      .get('/metrics')
      .set('Authorization', 'Bearer anything-at-all')
      .expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /metrics',
    });
  });

  it('does not announce the framework', async () => {
    const response = await t.http.get('/nope');
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('serves Swagger UI and its assets under the Content-Security-Policy', async () => {
    const page = await t.http.get('/docs').expect(200).expect('Content-Type', /html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map(([, src]) => src);
    expect(scripts).toEqual([
      './docs/swagger-ui-bundle.js',
      './docs/swagger-ui-standalone-preset.js',
      './docs/swagger-ui-init.js',
    ]);
    for (const asset of [...scripts.map((src) => src.slice(1)), '/docs/swagger-ui.css']) {
      await t.http.get(asset).expect(200);
    }
  });

  it('documents 429 for login', async () => {
    const { body } = await t.http.get('/docs-json').expect(200);
    expect(
      body.paths['/admin/login'].post.responses['429'].content['application/json'].schema,
    ).toEqual({ $ref: '#/components/schemas/ErrorResponseDto' });
  });

  it('serves Swagger UI and an OpenAPI document with every route and bearer security', async () => {
    await t.http.get('/docs').expect(200).expect('Content-Type', /html/);
    const { body } = await t.http.get('/docs-json').expect(200);

    expect(Object.keys(body.paths).sort()).toEqual([
      '/admin/login',
      '/admin/logout',
      '/admin/refresh',
      '/health/live',
      '/health/ready',
      '/invitations/accept',
      '/operator/clusters',
      '/operator/moves/{move_id}',
      '/operator/organizations',
      '/operator/organizations/{organization_id}/move',
      '/org/audit',
      '/org/create',
      '/org/delete',
      '/org/export',
      '/org/get',
      '/org/import',
      '/org/invitations',
      '/org/invitations/{id}',
      '/org/members',
      '/org/members/{admin_id}',
      '/org/owner/transfer',
      '/org/records',
      '/org/records/bulk',
      '/org/records/{id}',
      '/org/update',
    ]);
    type Operation = { security?: object[]; 'x-roles'?: string[] };
    for (const operations of Object.values(body.paths as Record<string, object>)) {
      for (const operation of Object.values(operations as Record<string, Operation>)) {
        // Every operation that takes only a member's token documents its role rule; the
        // operator API takes only the operator key; the others are public.
        const only = operation.security?.length === 1 ? Object.keys(operation.security[0]) : [];
        if (only[0] === 'bearer') {
          expect(operation['x-roles']?.length).toBeGreaterThan(0);
        } else {
          expect(operation['x-roles']).toBeUndefined();
          expect(only).toEqual(only.length === 0 ? [] : ['operator-key']);
        }
      }
    }
    expect(body.paths['/org/records'].get['x-roles']).toEqual(['owner', 'admin', 'viewer']);
    expect(body.paths['/org/records'].post['x-roles']).toEqual(['owner', 'admin']);
    expect(body.paths['/org/delete'].delete['x-roles']).toEqual(['owner']);
    expect(body.paths['/org/audit'].get['x-roles']).toEqual(['owner', 'admin']);
    expect(body.paths['/operator/clusters'].post.security).toEqual([{ 'operator-key': [] }]);
    expect(body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(body.paths['/org/update'].put.security).toEqual([{ bearer: [] }]);
    expect(body.paths['/org/delete'].delete.security).toEqual([{ bearer: [] }]);
    expect(body.paths['/org/create'].post.security).toBeUndefined();
    expect(body.paths['/org/get'].get.security).toEqual([{ bearer: [] }, {}]);
    expect(
      body.paths['/org/create'].post.responses['409'].content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/ErrorResponseDto',
    });
  });
});
