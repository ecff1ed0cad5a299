import { CLUSTER_NAME, CLUSTER_URI, hostsOf } from './cluster-uri';

describe('cluster connection strings', () => {
  it.each([
    [
      'mongodb://app:s3cret@db1.example:27017,db2.example:27018/admin?replicaSet=rs0',
      ['db1.example:27017', 'db2.example:27018'],
    ],
    ['mongodb+srv://app:s3cret@cluster0.example/?retryWrites=true', ['cluster0.example']],
    ['mongodb://127.0.0.1:27017', ['127.0.0.1:27017']],
    ['mongodb://user%40corp:p%40ss@db.example?tls=true', ['db.example']],
  ])('lists the hosts of %s without credentials', (uri, hosts) => {
    expect(hostsOf(uri)).toEqual(hosts);
    expect(hostsOf(uri).join()).not.toMatch(/s3cret|p%40ss|app|user/);
  });

  it.each(['mongodb://db.example', 'mongodb+srv://cluster0.example/'])('accepts %s', (uri) => {
    expect(CLUSTER_URI.test(uri)).toBe(true);
  });

  it.each(['http://db.example', 'mongodb://', 'mongodb://db.example two', 'db.example:27017'])(
    'refuses %s',
    (uri) => {
      expect(CLUSTER_URI.test(uri)).toBe(false);
    },
  );

  it.each([
    ['eu-1', true],
    ['a', true],
    ['EU-1', false],
    ['-eu', false],
    ['eu-', false],
    ['eu_1', false],
    ['a'.repeat(41), false],
  ])('names %s a valid cluster: %s', (name, valid) => {
    expect(CLUSTER_NAME.test(name)).toBe(valid);
  });
});
