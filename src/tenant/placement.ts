/**
 * Where an organization's data lives: a collection in the shared tenant database, a
 * database of its own on the master's server, or a database of its own on a registered
 * cluster. Records written before placements existed have none and are `shared`.
 */
export enum Placement {
  Shared = 'shared',
  Database = 'database',
  Cluster = 'cluster',
}

/** The placements DEFAULT_PLACEMENT may choose for new organizations. */
export const DEFAULT_PLACEMENTS = [Placement.Shared, Placement.Database] as const;
