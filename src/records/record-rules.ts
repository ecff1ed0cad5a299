import { SERVER_OWNED_FIELDS } from '../tenant/tenant-record.schema';

export interface RecordLimits {
  maxBytes: number;
  maxDepth: number;
}

/**
 * What a tenant document may be: a JSON object within the size and depth limits, whose
 * keys are safe to store (not empty, no leading `$`, no `.`, no `"`, `\` or control characters). With
 * `serverFields: 'refuse'` the top-level `_id` and timestamps are refused too; an import
 * brings its own. Returns the problems found, empty when the document is acceptable.
 */
export function checkRecord(
  value: unknown,
  limits: RecordLimits,
  serverFields: 'refuse' | 'allow' = 'refuse',
): string[] {
  if (!isPlainObject(value)) return ['a record must be a JSON object'];
  const problems: string[] = [];
  if (serverFields === 'refuse') {
    for (const field of SERVER_OWNED_FIELDS) {
      if (Object.hasOwn(value, field)) problems.push(`field "${field}" is set by the server`);
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > limits.maxBytes) {
    problems.push(
      `a record must be at most ${limits.maxBytes} bytes of JSON (this one is ${bytes})`,
    );
  }
  const depth = checkKeys(value, '', problems);
  if (depth > limits.maxDepth) {
    problems.push(`a record may nest objects and arrays at most ${limits.maxDepth} levels deep`);
  }
  return problems;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds a problem for each unsafe key; returns the nesting depth below `value`. */
function checkKeys(value: unknown, path: string, problems: string[]): number {
  if (Array.isArray(value)) {
    return (
      1 + Math.max(0, ...value.map((item, index) => checkKeys(item, `${path}[${index}]`, problems)))
    );
  }
  if (!isPlainObject(value)) return 0;
  let deepest = 0;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    const problem = keyProblem(key);
    if (problem) problems.push(`field "${childPath}" ${problem}`);
    deepest = Math.max(deepest, checkKeys(child, childPath, problems));
  }
  return 1 + deepest;
}

/** Characters MongoDB forbids in names, or that FerretDB 1.x cannot store or read back in them. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const UNSAFE_KEY_CHARACTERS = /["\\\u0000-\u001f]/;

function keyProblem(key: string): string | undefined {
  if (key === '') return 'must have a name';
  if (key.startsWith('$')) return "must not start with '$'";
  if (key.includes('.')) return "must not contain '.'";
  if (UNSAFE_KEY_CHARACTERS.test(key))
    return 'must not contain quotes, backslashes or control characters';
  return undefined;
}
