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
});
