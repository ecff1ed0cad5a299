/**
 * Every gap between two steps of a lifecycle operation, where a crash can strike. A leaf
 * file: the environment validates FAILURE_POINTS against it without importing the
 * lifecycle (which reads the environment).
 */
export const FAILURE_POINTS = [
  'create:after-claim',
  'create:after-record',
  'create:after-email-claim',
  'create:after-admin',
  'create:after-collection',
  'rename:after-claim',
  'rename:after-mark',
  'rename:after-collection',
  'rename:after-record',
  'delete:after-mark',
  'delete:after-drop',
  'delete:after-admins',
  'delete:after-email-claims',
  'delete:after-record',
  'email:after-claim',
  'email:after-switch',
  'move:after-pending',
  'move:after-copy',
  'move:after-mark',
  'move:after-catch-up',
  'move:after-switch',
  'move:after-drop',
] as const;

export type FailurePoint = (typeof FAILURE_POINTS)[number];
