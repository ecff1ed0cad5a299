import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';

const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Stops accepting connections and resolves once the requests in flight have finished
 * (or, after a timeout, once the stragglers are cut off).
 */
export async function drainHttpServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const forceClose = setTimeout(() => {
    new Logger('Shutdown').warn(`Requests still open after ${DRAIN_TIMEOUT_MS} ms: closing them`);
    server.closeAllConnections();
  }, DRAIN_TIMEOUT_MS);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearTimeout(forceClose);
}
