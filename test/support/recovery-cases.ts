/**
 * Which name a rename keeps when it stops at each failure point: before the record says
 * "renaming", only the new name's claim exists and the rename is undone; from then on the
 * record names the target, and the rename is finished. Shared by the crash suite and the
 * medium lifecycle tests.
 */
export const RENAME_OUTCOMES = [
  ['rename:after-claim', 'old'],
  ['rename:after-mark', 'new'],
  ['rename:after-collection', 'new'],
  ['rename:after-record', 'new'],
] as const;

/** Documents an organization holds before the operation; none may be lost. */
export const DOCUMENTS = [
  { sku: 'a', qty: 1 },
  { sku: 'b', qty: 2 },
];
