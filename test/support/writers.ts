import { bearer } from './factories';
import type { ServiceProcess } from './service-process';

const WRITERS = 4;

/**
 * Four writers that keep posting records to one instance until stopped; they record every
 * acknowledged id and every status they were answered.
 */
export function startWriters(service: ServiceProcess, token: string) {
  const acknowledged: string[] = [];
  const statuses = new Set<number>();
  let running = true;
  let sequence = 0;
  const loops = Array.from({ length: WRITERS }, async () => {
    while (running) {
      const response = await service.http
        .post('/org/records')
        .set(bearer(token))
        .send({ sequence: sequence++ });
      statuses.add(response.status);
      if (response.status === 201) acknowledged.push(response.body.id as string);
    }
  });
  return {
    acknowledged,
    statuses,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
