import { applyMergePatch } from './json-merge-patch';
import { mergePatchUpdate } from './merge-patch-update';

/** Applies a $set/$unset update the way the database does, on a copy. */
function applyUpdate(
  target: Record<string, unknown>,
  { $set, $unset }: ReturnType<typeof mergePatchUpdate>,
): Record<string, unknown> {
  const result = structuredClone(target);
  const walk = (path: string, change: (parent: Record<string, unknown>, key: string) => void) => {
    const keys = path.split('.');
    let parent = result;
    for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    change(parent, keys[keys.length - 1]);
  };
  for (const [path, value] of Object.entries($set)) walk(path, (p, k) => (p[k] = value));
  for (const path of Object.keys($unset)) walk(path, (p, k) => delete p[k]);
  return result;
}

describe('mergePatchUpdate', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }],
    [{ a: 'b' }, { a: null }],
    [{ a: 'b', b: 'c' }, { a: null }],
    [{ a: ['b'] }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }],
    [{ e: null }, { a: 1 }],
    [{ a: 'x' }, { a: { b: { c: null, d: 1 } } }],
    [{ a: { b: { c: 1, d: 2 } } }, { a: { b: { c: null }, e: 3 } }],
  ])('gives %j patched with %j what RFC 7396 gives', (target, patch) => {
    const update = mergePatchUpdate(target, patch);
    expect(applyUpdate(target, update)).toEqual(applyMergePatch(target, patch));
  });

  it('names only the paths the patch touches', () => {
    expect(mergePatchUpdate({ a: { b: 1, c: 2 }, d: 3 }, { a: { b: 5, z: null } })).toEqual({
      $set: { 'a.b': 5 },
      $unset: {},
    });
    expect(mergePatchUpdate({ a: 1 }, { a: null, b: { c: null, d: 2 } })).toEqual({
      $set: { b: { d: 2 } },
      $unset: { a: '' },
    });
  });
});
