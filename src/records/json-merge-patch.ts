import { isPlainObject } from './record-rules';

/**
 * RFC 7396 JSON Merge Patch: members of the patch replace those of the target, `null`
 * removes a member, and objects merge recursively; anything else replaces the target.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}
