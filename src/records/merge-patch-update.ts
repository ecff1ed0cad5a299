import { isPlainObject } from './record-rules';
import { applyMergePatch } from './json-merge-patch';

export interface FieldUpdate {
  $set: Record<string, unknown>;
  $unset: Record<string, ''>;
}

/**
 * The update that applies an RFC 7396 merge patch to `target` touching only the paths the
 * patch names: `null` unsets a path, an object merges into an object member path by path,
 * anything else sets the path. Record keys never contain `.` or start with `$`, so the
 * dotted paths are unambiguous.
 */
export function mergePatchUpdate(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): FieldUpdate {
  const update: FieldUpdate = { $set: {}, $unset: {} };
  collect(target, patch, '', update);
  return update;
}

function collect(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
  prefix: string,
  update: FieldUpdate,
): void {
  for (const [key, value] of Object.entries(patch)) {
    const path = `${prefix}${key}`;
    const current = target[key];
    if (value === null) {
      if (Object.hasOwn(target, key)) update.$unset[path] = '';
    } else if (isPlainObject(value) && isPlainObject(current)) {
      collect(current, value, `${path}.`, update);
    } else {
      update.$set[path] = applyMergePatch(undefined, value);
    }
  }
}
