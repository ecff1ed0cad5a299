/** A cluster's name: a lowercase slug, as it appears in organization records and URLs. */
export const CLUSTER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** What POST /operator/clusters accepts as a connection string, before the driver parses it. */
export const CLUSTER_URI = /^mongodb(\+srv)?:\/\/\S+$/;

const SCHEME = /^mongodb(\+srv)?:\/\//;

/**
 * The hosts of a MongoDB connection string, without its credentials, path or options:
 * what an operator may see of a cluster.
 */
export function hostsOf(uri: string): string[] {
  const rest = uri.replace(SCHEME, '');
  const authority = rest.split(/[/?]/, 1)[0];
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  return hosts.split(',').filter((host) => host !== '');
}
