import { mongo } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyIdOf } from '../src/cluster/data-encryption';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../src/database/embedded-database';
import { ownDatabaseNames } from './support/databases';
import {
  bearer,
  createOrganization,
  uniqueName,
  type CreatedOrganization,
} from './support/factories';
import { eventually, isolatedDatabaseNames, ServiceProcess } from './support/service-process';
import { DatabaseInspector } from './support/test-app';
import { startWriters } from './support/writers';

const OPERATOR_KEY = 'operator-key-for-cluster-tests-0123456789';
const operator = bearer(OPERATOR_KEY);
const ENCRYPTION_KEY = randomBytes(32);
const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
const USER = `user-${randomBytes(4).toString('hex')}`;
const CLUSTER = 'second';
const RECOVERY = { LIFECYCLE_LEASE_MS: '200', RECONCILE_INTERVAL_MS: '200' };
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A loopback port nothing listens on, for a cluster that cannot be reached. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A second FerretDB server on loopback, registered as a cluster, next to the one the e2e
 * setup started (the master's server). Two instances share one master: writes go to one,
 * moves run on the other.
 */
describe('clusters', () => {
  const names = isolatedDatabaseNames('clusters');
  const dataDir = mkdtempSync(join(tmpdir(), 'org-service-cluster-'));
  let second: EmbeddedDatabase;
  let port: number;
  /** With credentials: FerretDB takes any user and password over PLAIN. */
  let clusterUri: string;
  let db: DatabaseInspector;
  let cluster: mongo.MongoClient;
  let mover: ServiceProcess;
  let writer: ServiceProcess;
  /** Instances started by single tests, whose logs are checked too. */
  const others: ServiceProcess[] = [];

  beforeAll(async () => {
    second = await startEmbeddedDatabase(dataDir);
    port = Number(new URL(second.uri).port);
    clusterUri = `mongodb://${USER}:${PASSWORD}@127.0.0.1:${port}/?authMechanism=PLAIN`;
    cluster = await mongo.MongoClient.connect(second.uri, { serverSelectionTimeoutMS: 2_000 });
    db = await DatabaseInspector.connect(undefined, names);
    const env = {
      OPERATOR_API_KEY: OPERATOR_KEY,
      DATA_ENCRYPTION_KEY: ENCRYPTION_KEY.toString('base64'),
    };
    [mover, writer] = await Promise.all([
      ServiceProcess.start(names, env),
      ServiceProcess.start(names, env),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([mover, writer, ...others].map(async (service) => service?.stop()));
    await db.drop();
    await db.close();
    await cluster.close();
    await second.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const register = (body: object) => mover.http.post('/operator/clusters').set(operator).send(body);

  const record = (org: CreatedOrganization) =>
    db.master.collection('organizations').findOne({ _id: new mongo.ObjectId(org.id) });

  async function moveAndWait(
    org: CreatedOrganization,
    body: { placement: string; cluster?: string },
  ): Promise<void> {
    const started = await mover.http
      .post(`/operator/organizations/${org.id}/move`)
      .set(operator)
      .send(body)
      .expect(202);
    const moveId = started.body.move_id as string;
    await eventually(async () => {
      const status = await mover.http.get(`/operator/moves/${moveId}`).set(operator).expect(200);
      expect(status.body).toMatchObject({ state: 'done' });
    }, 30_000);
  }

  it('refuses bad registrations with 4xx and stores nothing', async () => {
    const unreachable = `mongodb://${USER}:${PASSWORD}@127.0.0.1:${await closedPort()}/`;
    const cases: [object, number, string][] = [
      [
        { name: 'Not_A_Slug', uri: clusterUri },
        400,
        'name must be 1-40 lowercase letters, digits or inner hyphens',
      ],
      [
        { name: 'bad-uri', uri: `http://${USER}:${PASSWORD}@127.0.0.1/` },
        400,
        'uri must be a mongodb:// or mongodb+srv:// connection string',
      ],
      [
        { name: 'bad-option', uri: `${clusterUri}&w=nope&authMechanism=NOPE` },
        400,
        'uri is not a valid MongoDB connection string',
      ],
      [
        { name: 'unreachable', uri: unreachable },
        422,
        'The cluster did not answer a ping with these credentials; nothing was stored',
      ],
    ];
    for (const [body, status, message] of cases) {
      const response = await register(body).expect(status);
      expect(response.body).toEqual({
        statusCode: status,
        error: status === 400 ? 'Bad Request' : 'Unprocessable Entity',
        message,
      });
    }
    expect(await db.master.collection('clusters').countDocuments()).toBe(0);
  });

  it('registers a cluster with its connection string encrypted, and lists it without credentials', async () => {
    const host = `127.0.0.1:${port}`;
    const created = await register({ name: CLUSTER, uri: clusterUri }).expect(201);
    expect(created.body).toEqual({ name: CLUSTER, hosts: [host], health: 'up', tenants: 0 });

    const stored = await db.master.collection('clusters').findOne({ _id: CLUSTER as never });
    expect(stored).toMatchObject({
      hosts: [host],
      uri: {
        keyId: keyIdOf(ENCRYPTION_KEY),
        iv: expect.any(String),
        tag: expect.any(String),
        ciphertext: expect.any(String),
      },
    });
    const storedText = JSON.stringify(stored);
    for (const secret of [PASSWORD, USER, clusterUri, 'authMechanism']) {
      expect(storedText).not.toContain(secret);
    }

    const duplicate = await register({ name: CLUSTER, uri: clusterUri }).expect(409);
    expect(duplicate.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: `A cluster named ${CLUSTER} is already registered`,
    });
    const listed = await mover.http.get('/operator/clusters').set(operator).expect(200);
    expect(listed.body).toEqual({
      items: [{ name: CLUSTER, hosts: [host], health: 'up', tenants: 0 }],
    });
  });

  it('refuses a move to an unknown cluster, or without one', async () => {
    const org = await createOrganization(mover.http);
    const move = (body: object) =>
      mover.http.post(`/operator/organizations/${org.id}/move`).set(operator).send(body);
    expect((await move({ placement: 'cluster', cluster: 'nowhere' }).expect(404)).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'No cluster named nowhere is registered',
    });
    expect((await move({ placement: 'cluster' }).expect(400)).body.message).toBe(
      'cluster must be the name of a registered cluster',
    );
    expect((await move({ placement: 'database', cluster: CLUSTER }).expect(400)).body.message).toBe(
      'cluster is allowed only with the cluster placement',
    );
    expect(await record(org)).toMatchObject({ status: 'active', placement: 'shared' });
    expect(await db.master.collection('tenant_moves').countDocuments()).toBe(0);
  });

  it('moves an organization to its own database, to the cluster and back to shared with 4 writers, losing no acknowledged write', async () => {
    const org = await createOrganization(mover.http);
    const name = org.input.organization_name;
    const ownDatabase = `${names.tenants}_${org.id}`;
    const shared = db.tenants.collection(`org_${name}`);
    const writers = startWriters(writer, org.token);
    await settle(500);

    await moveAndWait(org, { placement: 'database' });
    expect(await record(org)).toMatchObject({ status: 'active', placement: 'database' });
    await settle(300);

    // The same database name on another server: the move reads and writes each side
    // through its own server's client.
    await moveAndWait(org, { placement: 'cluster', cluster: CLUSTER });
    expect(await record(org)).toMatchObject({
      status: 'active',
      placement: 'cluster',
      location: { database: ownDatabase, collectionName: `org_${name}`, cluster: CLUSTER },
    });
    expect(await db.tenantCollectionExists(`org_${name}`)).toBe(false);
    expect(await db.ownDatabases()).toEqual([]);
    expect(
      await cluster.db(ownDatabase).collection(`org_${name}`).countDocuments(),
    ).toBeGreaterThan(0);
    const listed = await mover.http.get('/operator/clusters').set(operator).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ name: CLUSTER, tenants: 1 })]);
    const organizations = await mover.http
      .get('/operator/organizations')
      .query({ limit: 100 })
      .set(operator)
      .expect(200);
    expect(organizations.body.items).toContainEqual(
      expect.objectContaining({ id: org.id, placement: 'cluster', cluster: CLUSTER }),
    );
    await settle(300);

    await moveAndWait(org, { placement: 'shared' });
    await settle(300);
    await writers.stop();

    expect(writers.acknowledged.length).toBeGreaterThan(0);
    expect([...writers.statuses].filter((status) => status !== 201 && status !== 503)).toEqual([]);
    expect(await record(org)).toMatchObject({ status: 'active', placement: 'shared' });
    expect((await record(org))?.location).not.toHaveProperty('cluster');
    const stored = await shared
      .find({ _id: { $in: writers.acknowledged.map((id) => new mongo.ObjectId(id)) } })
      .toArray();
    expect(stored).toHaveLength(writers.acknowledged.length);
    expect(await shared.countDocuments()).toBe(writers.acknowledged.length);
    expect(await ownDatabaseNames(cluster, names.tenants)).toEqual([]);
    const page = await writer.http
      .get('/org/records')
      .query({ include_total: true, limit: 1 })
      .set(bearer(org.token))
      .expect(200);
    expect(page.body.total).toBe(writers.acknowledged.length);
  }, 120_000);

  it('renames an organization on the cluster within its database there, and deletes it with that database', async () => {
    const org = await createOrganization(mover.http);
    const ownDatabase = cluster.db(`${names.tenants}_${org.id}`);
    await writer.http.post('/org/records').set(bearer(org.token)).send({ n: 1 }).expect(201);
    await moveAndWait(org, { placement: 'cluster', cluster: CLUSTER });

    const renamed = uniqueName('renamed');
    await mover.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ organization_name: renamed })
      .expect(200);
    expect(await record(org)).toMatchObject({
      name: renamed,
      placement: 'cluster',
      location: {
        database: ownDatabase.databaseName,
        collectionName: `org_${renamed}`,
        cluster: CLUSTER,
      },
    });
    const collections = await ownDatabase.listCollections({}, { nameOnly: true }).toArray();
    expect(collections.map(({ name }) => name)).toEqual([`org_${renamed}`]);
    expect(await ownDatabase.collection(`org_${renamed}`).countDocuments()).toBe(1);

    await mover.http.delete('/org/delete').set(bearer(org.token)).expect(204);
    await eventually(async () =>
      expect(await ownDatabaseNames(cluster, names.tenants)).not.toContain(
        ownDatabase.databaseName,
      ),
    );
    expect(await record(org)).toBeNull();
  }, 60_000);

  it.each(['move:after-mark', 'move:after-switch'])(
    'converges after a crash at %s of a move to the cluster, with every document there',
    async (point) => {
      const env = {
        OPERATOR_API_KEY: OPERATOR_KEY,
        DATA_ENCRYPTION_KEY: ENCRYPTION_KEY.toString('base64'),
      };
      const crashing = await ServiceProcess.start(names, { ...env, FAILURE_POINTS: point });
      others.push(crashing);
      const org = await createOrganization(crashing.http);
      const name = org.input.organization_name;
      await crashing.http
        .post('/org/records/bulk')
        .set(bearer(org.token))
        .send({ records: Array.from({ length: 50 }, (_, n) => ({ n })) })
        .expect(200);
      await crashing.http
        .post(`/operator/organizations/${org.id}/move`)
        .set(operator)
        .send({ placement: 'cluster', cluster: CLUSTER })
        .catch(() => undefined);
      expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const recovering = await ServiceProcess.start(names, { ...env, ...RECOVERY });
      others.push(recovering);
      try {
        await eventually(async () => {
          expect(await record(org)).toMatchObject({
            status: 'active',
            placement: 'cluster',
            location: { cluster: CLUSTER },
          });
          expect(await record(org)).not.toHaveProperty('pendingMove');
          expect(await db.tenantCollectionExists(`org_${name}`)).toBe(false);
          const moves = await db.master
            .collection('tenant_moves')
            .find({ organizationId: new mongo.ObjectId(org.id) })
            .toArray();
          expect(moves.map((move) => move.state as string)).toEqual(['done']);
        }, 45_000);
        const numbers = await cluster
          .db(`${names.tenants}_${org.id}`)
          .collection(`org_${name}`)
          .find({}, { projection: { _id: 0, n: 1 } })
          .sort({ n: 1 })
          .toArray();
        expect(numbers).toEqual(Array.from({ length: 50 }, (_, n) => ({ n })));
      } finally {
        await recovering.stop();
      }
    },
    90_000,
  );

  it('answers 503 with Retry-After for its tenants only while the cluster is down, then recovers', async () => {
    const [onCluster, onShared] = await Promise.all([
      createOrganization(mover.http),
      createOrganization(mover.http),
    ]);
    for (const org of [onCluster, onShared]) {
      await writer.http
        .post('/org/records/bulk')
        .set(bearer(org.token))
        .send({ records: [{ n: 1 }, { n: 2 }] })
        .expect(200);
    }
    const tenantsOf = async () =>
      (await mover.http.get('/operator/clusters').set(operator).expect(200)).body.items[0]
        .tenants as number;
    const tenantsBefore = await tenantsOf();
    await moveAndWait(onCluster, { placement: 'cluster', cluster: CLUSTER });
    expect(await tenantsOf()).toBe(tenantsBefore + 1);
    await writer.http.get('/org/records').set(bearer(onCluster.token)).expect(200);

    await second.stop();
    let sharedRecords = 2;
    try {
      for (const service of [writer, mover]) {
        const startedAt = Date.now();
        const read = await service.http.get('/org/records').set(bearer(onCluster.token));
        expect(Date.now() - startedAt).toBeLessThan(6_000);
        expect(read.status).toBe(503);
        expect(read.headers['retry-after']).toBe('5');
        expect(read.body).toEqual({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'The database is unavailable; try again shortly',
        });
        const write = await service.http
          .post('/org/records')
          .set(bearer(onCluster.token))
          .send({ n: 3 });
        expect(write.status).toBe(503);
        expect(write.headers['retry-after']).toBe('5');

        const other = await service.http
          .get('/org/records')
          .query({ include_total: true })
          .set(bearer(onShared.token))
          .expect(200);
        expect(other.body.total).toBe(sharedRecords);
        await service.http
          .post('/org/records')
          .set(bearer(onShared.token))
          .send({ n: 3 })
          .expect(201);
        sharedRecords += 1;
      }
      const listed = await mover.http.get('/operator/clusters').set(operator).expect(200);
      expect(listed.body.items).toEqual([
        expect.objectContaining({ name: CLUSTER, health: 'down', tenants: tenantsBefore + 1 }),
      ]);
    } finally {
      second = await startEmbeddedDatabase(dataDir, { port });
    }

    for (const service of [writer, mover]) {
      const page = await eventually(async () => {
        const response = await service.http
          .get('/org/records')
          .query({ include_total: true })
          .set(bearer(onCluster.token));
        expect(response.status).toBe(200);
        return response;
      });
      expect(page.body.total).toBe(2);
    }
    const listed = await mover.http.get('/operator/clusters').set(operator).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ name: CLUSTER, health: 'up' })]);
  }, 90_000);

  it('opens a cluster sealed under a previous key, and seals it again under the new key at start-up', async () => {
    const newKey = randomBytes(32);
    const rotated = await ServiceProcess.start(names, {
      OPERATOR_API_KEY: OPERATOR_KEY,
      DATA_ENCRYPTION_KEY: newKey.toString('hex'),
      DATA_ENCRYPTION_PREVIOUS_KEYS: ENCRYPTION_KEY.toString('base64'),
    });
    others.push(rotated);
    const stored = await db.master.collection('clusters').findOne({ _id: CLUSTER as never });
    expect(stored?.uri).toMatchObject({ keyId: keyIdOf(newKey) });
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    const listed = await rotated.http.get('/operator/clusters').set(operator).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ name: CLUSTER, health: 'up' })]);
  }, 60_000);

  it('never logs the connection string or its credentials', () => {
    const output = [mover, writer, ...others].flatMap((service) => service.output).join('\n');
    expect(output).toContain('request completed');
    for (const secret of [PASSWORD, USER, clusterUri, 'authMechanism']) {
      expect(output).not.toContain(secret);
    }
  });
});

describe('clusters without DATA_ENCRYPTION_KEY', () => {
  it('refuses to register one with 503, saying encryption is not configured', async () => {
    const names = isolatedDatabaseNames('noencryption');
    const service = await ServiceProcess.start(names, {
      OPERATOR_API_KEY: OPERATOR_KEY,
      DATA_ENCRYPTION_KEY: '',
    });
    try {
      const response = await service.http
        .post('/operator/clusters')
        .set(operator)
        .send({ name: 'any', uri: `mongodb://${USER}:${PASSWORD}@127.0.0.1:1/` })
        .expect(503);
      expect(response.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Data encryption is not configured: set DATA_ENCRYPTION_KEY to register clusters',
      });
      expect(service.output.join('\n')).not.toContain(PASSWORD);
    } finally {
      await service.stop();
      const db = await DatabaseInspector.connect(undefined, names);
      await db.drop();
      await db.close();
    }
  });
});
