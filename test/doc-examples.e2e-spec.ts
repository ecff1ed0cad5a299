import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  bodyValues,
  docExamples,
  documented,
  documentedLine,
  lastResponse,
  parseHttpBlock,
  type DocExample,
} from './support/doc-examples';
import { bearer, login } from './support/factories';
import { isolatedDatabaseNames, ServiceProcess } from './support/service-process';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`)]
  .filter((file) => file.endsWith('.md'))
  .sort();
const EXAMPLES = FILES.map((file) => ({
  file,
  examples: docExamples(file, readFileSync(join(ROOT, file), 'utf8')),
}));

/** The placeholders every example may use (docs/api.md, "Examples in these docs"). */
const METRICS_TOKEN = 'docs-metrics-token-0123456789';
const ACME = {
  organization_name: 'acme',
  email: 'admin@acme.example',
  password: 'correct-horse-battery',
};
const RECORD = { sku: 'widget-1', qty: 3 };

/**
 * Runs every request example of README.md and docs/*.md (fenced `sh` blocks that call
 * curl) against a real service process on a real database, in the order they appear:
 * each file gets a fresh service, with the organization `acme`, its admin's token as
 * $TOKEN and one record ($RECORD_ID). An example that fails, or answers otherwise than the
 * block after it documents, fails its test.
 */
describe('documentation examples', () => {
  it('finds the examples', () => {
    const count = (file: string) => EXAMPLES.find((entry) => entry.file === file)?.examples.length;
    expect(count('README.md')).toBeGreaterThanOrEqual(2);
    expect(count('docs/api.md')).toBeGreaterThanOrEqual(10);
  });

  describe.each(EXAMPLES.filter(({ examples }) => examples.length > 0))('$file', ({ examples }) => {
    let service: ServiceProcess;
    let env: Record<string, string>;

    beforeAll(async () => {
      service = await ServiceProcess.start(isolatedDatabaseNames('docs'), { METRICS_TOKEN });
      await service.http.post('/org/create').send(ACME).expect(201);
      const token = await login(service.http, ACME.email, ACME.password);
      const record = await service.http
        .post('/org/records')
        .set(bearer(token))
        .send(RECORD)
        .expect(201);
      env = { BASE_URL: service.url, TOKEN: token, RECORD_ID: record.body.id, METRICS_TOKEN };
    }, 60_000);
    afterAll(() => service.stop());

    it.each(examples.map((example) => [example.line, example] as const))(
      'the example at line %i answers as documented',
      async (_line, example) => {
        const output = await runExample(example, env);
        expectDocumentedAnswer(example, output);
      },
    );
  });
});

async function runExample(example: DocExample, env: Record<string, string>): Promise<string> {
  try {
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', example.script], {
      env: { ...process.env, ...env },
      timeout: 20_000,
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${example.file}:${example.line} failed:\n${example.script}\n${stderr ?? ''}${stdout ?? ''}`,
    );
  }
}

function expectDocumentedAnswer(example: DocExample, output: string): void {
  const where = `${example.file}:${example.line}`;
  if (example.expected?.kind === 'text') {
    const lines = output.replace(/\n$/, '').split('\n');
    expect({ where, lines }).toEqual({
      where,
      lines: example.expected.text.split('\n').map(documentedLine),
    });
    return;
  }
  const actual = lastResponse(output);
  if (!example.expected) {
    // Undocumented answers must still be successes.
    if (actual && actual.status >= 400)
      throw new Error(`${where} answered ${actual.status}:\n${output}`);
    return;
  }
  if (!actual) throw new Error(`${where} printed no HTTP response (use curl -si):\n${output}`);
  const wanted = parseHttpBlock(example.expected.text);
  const headers = Object.fromEntries(
    [...wanted.headers.keys()].map((name) => [name, actual.headers.get(name)]),
  );
  expect({
    where,
    status: actual.status,
    headers,
    body: bodyValues(actual.body) ?? actual.body,
  }).toEqual({
    where,
    status: wanted.status,
    headers: Object.fromEntries(
      [...wanted.headers].map(([name, value]) => [name, documentedLine(value)]),
    ),
    body: documented(bodyValues(wanted.body) ?? wanted.body),
  });
}
