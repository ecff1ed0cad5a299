import { PassThrough } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { pinoHttpOptions } from './logging.module';

describe('pinoHttpOptions', () => {
  it('prints readable lines only in development on a terminal', () => {
    expect(
      pinoHttpOptions({ NODE_ENV: 'development', LOG_LEVEL: 'info' }, { isTTY: true }),
    ).toMatchObject({
      transport: { target: 'pino-pretty', options: { singleLine: true } },
    });
  });

  it.each([
    ['development, not a terminal', 'development', undefined],
    ['production on a terminal', 'production', true],
    ['tests on a terminal', 'test', true],
  ] as const)('writes JSON in %s', (_case, NODE_ENV, isTTY) => {
    expect(pinoHttpOptions({ NODE_ENV, LOG_LEVEL: 'info' }, { isTTY })).not.toHaveProperty(
      'transport',
    );
  });

  it('masks connection strings at the top level or in a cluster', async () => {
    const output = new PassThrough();
    const lines: string[] = [];
    output.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const { logger } = pinoHttp(
      pinoHttpOptions({ NODE_ENV: 'test', LOG_LEVEL: 'info' }, {}),
      output,
    );
    const uri = 'mongodb://app:s3cret@db.example:27017/';
    logger.info({ uri, cluster: { uri, connectionString: uri } }, 'registered');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.join('')).toContain('[redacted]');
    expect(lines.join('')).not.toContain('s3cret');
  });
});
