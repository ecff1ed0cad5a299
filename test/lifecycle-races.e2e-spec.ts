import { bearer, createOrganization, organizationInput, uniqueName } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

const CONCURRENCY = 20;

describe('lifecycle races', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it(`lets exactly one of ${CONCURRENCY} concurrent creates of one name win`, async () => {
    const name = uniqueName('contested');
    const responses = await Promise.all(
      Array.from({ length: CONCURRENCY }, () =>
        t.http.post('/org/create').send(organizationInput({ organization_name: name })),
      ),
    );

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(CONCURRENCY - 1).fill(409)]);
    const winner = responses.find((response) => response.status === 201)!.body;
    expect(await t.db.master.collection('organizations').countDocuments({ name })).toBe(1);
    expect((await t.db.organization(name))!._id.toString()).toBe(winner.organization_id);
    expect(
      await t.db.master.collection('organization_names').countDocuments({ _id: name } as object),
    ).toBe(1);
    expect(
      await t.db.master.collection('admins').countDocuments({ email: winner.admin.email }),
    ).toBe(1);
    expect(await t.db.tenantCollectionExists(`org_${name}`)).toBe(true);
  });

  it('lets one of two organizations renaming to the same name win, and loses no collection', async () => {
    const rounds = 5;
    for (let round = 0; round < rounds; round += 1) {
      const [first, second] = await Promise.all([
        createOrganization(t.http),
        createOrganization(t.http),
      ]);
      for (const org of [first, second]) {
        await t.db.tenants
          .collection(`org_${org.input.organization_name}`)
          .insertOne({ owner: org.id });
      }
      const target = uniqueName('target');

      const responses = await Promise.all(
        [first, second].map((org) =>
          t.http.put('/org/update').set(bearer(org.token)).send({ organization_name: target }),
        ),
      );

      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      const [winner, loser] = responses[0].status === 200 ? [first, second] : [second, first];
      expect(
        await t.db.tenants.collection(`org_${target}`).findOne({}, { projection: { _id: 0 } }),
      ).toEqual({
        owner: winner.id,
      });
      const loserName = loser.input.organization_name;
      expect(await t.db.organization(loserName)).toMatchObject({ status: 'active' });
      expect(
        await t.db.tenants.collection(`org_${loserName}`).findOne({}, { projection: { _id: 0 } }),
      ).toEqual({
        owner: loser.id,
      });
      expect(await t.db.tenantCollectionExists(`org_${winner.input.organization_name}`)).toBe(
        false,
      );
    }
  });

  it('brings a rename and a delete of one organization sent at once to a consistent end', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < 6; round += 1) {
      const org = await createOrganization(t.http);
      const newName = uniqueName('raced');
      const [rename, remove] = await Promise.all([
        t.http.put('/org/update').set(bearer(org.token)).send({ organization_name: newName }),
        t.http.delete('/org/delete').set(bearer(org.token)),
      ]);
      outcomes.add(`${rename.status}/${remove.status}`);
      expect([200, 409]).toContain(rename.status);
      expect([204, 409]).toContain(remove.status);

      const record = await t.db.master
        .collection('organizations')
        .findOne({ _id: (await t.db.admin(org.input.email))?.organizationId ?? null });
      const collections = (await t.db.tenantCollections()).filter((name) =>
        [`org_${org.input.organization_name}`, `org_${newName}`].includes(name),
      );
      if (remove.status === 204) {
        expect(record).toBeNull();
        expect(await t.db.admin(org.input.email)).toBeNull();
        expect(collections).toEqual([]);
      } else {
        const expectedName = rename.status === 200 ? newName : org.input.organization_name;
        expect(await t.db.organization(expectedName)).toMatchObject({ status: 'active' });
        expect(collections).toEqual([`org_${expectedName}`]);
      }
    }
    // At least one of the two always wins.
    expect([...outcomes].every((outcome) => outcome !== '409/409')).toBe(true);
  });
});
