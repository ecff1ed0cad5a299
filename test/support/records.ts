import type TestAgent from 'supertest/lib/agent';
import { bearer } from './factories';

/** POST /org/import with an NDJSON body, as a client sends it; the status is the caller's to check. */
export function importRecords(http: TestAgent, token: string, ndjson: string) {
  return http
    .post('/org/import')
    .set(bearer(token))
    .set('Content-Type', 'application/x-ndjson')
    .send(ndjson);
}

/** GET /org/export, its body read whole as text (`response.body`). */
export function exportRecords(http: TestAgent, token: string) {
  return http
    .get('/org/export')
    .set(bearer(token))
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done(null, text));
    })
    .expect(200);
}
