import { compare, hash } from 'bcryptjs';
import { readdirSync, readFileSync } from 'node:fs';
import { BcryptPool } from './bcrypt-pool';

describe('BcryptPool', () => {
  const pool = new BcryptPool(2);
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

  it('starts a waiting compare before waiting hashes', async () => {
    const single = new BcryptPool(1);
    try {
      const stored = await hash('correct-horse', 4);
      const finished: string[] = [];
      const hashes = Array.from({ length: 4 }, (_, index) =>
        single.hash('x', 10).then(() => finished.push(`hash ${index}`)),
      );
      const login = single.compare('correct-horse', stored).then(() => finished.push('compare'));
      await Promise.all([...hashes, login]);
      // The first hash was already running; the compare went ahead of the three waiting.
      expect(finished.indexOf('compare')).toBeLessThanOrEqual(1);
    } finally {
      await single.close();
    }
  });

  (process.platform === 'linux' ? it : it.skip)(
    'runs its threads at a lower priority (nice 10) than the event loop',
    async () => {
      await pool.hash('x', 4);
      // Field 19 of /proc/<pid>/task/<tid>/stat is the nice value; the name before it may hold spaces.
      const niceOf = (tid: string) =>
        Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
      const niceness = readdirSync('/proc/self/task').map(niceOf);
      expect(niceness.filter((value) => value === 10).length).toBeGreaterThanOrEqual(2);
      // The main thread's id is the process id (thread ids are not in creation order).
      expect(niceOf(String(process.pid))).toBe(0);
    },
  );
});
