import { mongo } from 'mongoose';

const PROBE_TIMEOUT_MS = 3_000;

export enum ProbeResult {
  Reachable = 'reachable',
  /** The driver refused the connection string itself. */
  Invalid = 'invalid',
  /** Nothing answered in time, or the server refused the credentials. */
  Unreachable = 'unreachable',
}

/**
 * Connects to `uri` on a client of its own, pings, and closes. Says only how it went: the
 * driver's errors may repeat the connection string or name hosts, so they go nowhere.
 */
export async function probeCluster(uri: string): Promise<ProbeResult> {
  let client: mongo.MongoClient;
  try {
    client = new mongo.MongoClient(uri, {
      serverSelectionTimeoutMS: PROBE_TIMEOUT_MS,
      connectTimeoutMS: PROBE_TIMEOUT_MS,
    });
  } catch {
    return ProbeResult.Invalid;
  }
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return ProbeResult.Reachable;
  } catch {
    return ProbeResult.Unreachable;
  } finally {
    await client.close().catch(() => undefined);
  }
}
