import { ThrottlerStorageService } from '@nestjs/throttler';
import type { Request } from 'express';
import { accountKey, clientAddress } from './rate-limits';

const request = (fields: Partial<Request>) => fields as Request;

describe('rate limits', () => {
  it('counts an account by its stored form of the email', () => {
    expect(accountKey(request({ body: { email: '  Admin@ACME.example ' } }))).toBe(
      'admin@acme.example',
    );
    expect(accountKey(request({ body: { email: { $ne: null } } }))).toBeUndefined();
    expect(accountKey(request({ body: undefined }))).toBeUndefined();
  });

  it('counts an IPv6 client by its /64 and an IPv4 client by its address', () => {
    expect(clientAddress(request({ ip: '2001:db8:1:2:aaaa::1' }))).toBe(
      clientAddress(request({ ip: '2001:db8:1:2:bbbb::2' })),
    );
    expect(clientAddress(request({ ip: '203.0.113.7' }))).toBe('203.0.113.7');
  });

  describe('the block (default in-memory storage)', () => {
    const storage = new ThrottlerStorageService();
    afterAll(() => storage.onApplicationShutdown());

    it('starts after the limit, is not extended by attempts while blocked, and ends', async () => {
      const hit = () => storage.increment('key', 60_000, 2, 300, 'login-account');
      expect((await hit()).isBlocked).toBe(false);
      expect((await hit()).isBlocked).toBe(false);
      const blocked = await hit();
      expect(blocked.isBlocked).toBe(true);

      await new Promise((resolve) => setTimeout(resolve, 150));
      const still = await hit();
      expect(still.isBlocked).toBe(true);
      expect(still.timeToBlockExpire).toBeLessThanOrEqual(blocked.timeToBlockExpire);

      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await hit()).isBlocked).toBe(false);
    });
  });
});
