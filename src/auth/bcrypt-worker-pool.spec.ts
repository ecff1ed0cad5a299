import { compare, hash } from 'bcryptjs';
import { BcryptWorkerPool } from './bcrypt-worker-pool';

describe('BcryptWorkerPool', () => {
  const pool = new BcryptWorkerPool(2);
  afterAll(() => pool.close());

  it('makes standard $2b$ hashes that bcryptjs on the main thread verifies, and back', async () => {
    const fromPool = await pool.hash('correct-horse', 10);
    expect(fromPool).toMatch(/^\$2b\$10\$/);
    expect(await compare('correct-horse', fromPool)).toBe(true);

    const fromMain = await hash('correct-horse', 10);
    const [right, wrong] = await Promise.all([
      pool.compare('correct-horse', fromMain),
      pool.compare('wrong-horse', fromMain),
    ]);
    expect([right, wrong]).toEqual([true, false]);
  });

  it('verifies $2a$ hashes too', async () => {
    const legacy = (await hash('correct-horse', 10)).replace(/^\$2b\$/, '$2a$');
    expect(await pool.compare('correct-horse', legacy)).toBe(true);
  });

  it('answers false for a malformed hash, as bcryptjs does', async () => {
    expect(await pool.compare('x', 'not-a-hash')).toBe(false);
  });

  it('fails a job with bad arguments instead of hanging', async () => {
    await expect(pool.hash(42 as unknown as string, 10)).rejects.toThrow('Illegal arguments');
  });
});
