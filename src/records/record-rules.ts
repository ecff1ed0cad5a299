import { SERVER_OWNED_FIELDS } from '../tenant/tenant-record.schema';

export interface RecordLimits {
  maxBytes: number;
  maxDepth: number;
}

/**
 * BSON types that MongoDB and FerretDB both store and give back unchanged. Extended JSON
 * can spell others (Decimal128, Code, Symbol, MinKey, MaxKey, DBRef); they are refused.
 */
const STORABLE_BSON_TYPES: ReadonlySet<string> = new Set([
  'ObjectId',
  'Long',
  'Int32',
  'Double',
  'Binary',
  'BSONRegExp',
  'Timestamp',
]);
/** The range of a JavaScript Date: an Extended JSON date outside it cannot be read back. */
const MAX_DATE_MS = 8.64e15;

/**
 * What a tenant document may be: a JSON object within the size and depth limits, whose
 * keys are safe to store (not empty, no leading `$`, no `.`, no `"`, `\` or control
 * characters, not `_bsontype`) and whose values are of a type both databases keep. With
 * `serverFields: 'refuse'` the top-level `_id` and timestamps are refused; with 'allow'
 * (an import brings its own) they must be an ObjectId and dates. Returns the problems
 * found, empty when the document is acceptable. The walk keeps its own stack, so neither
 * a deep nor a wide document can overflow the call stack.
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
  } else {
    problems.push(...serverFieldProblems(value));
  }
  const content = contentProblems(value, limits.maxDepth);
  // Measured only within the depth limit: serializing a deeper value could overflow the stack.
  const bytes = content.tooDeep ? 0 : Buffer.byteLength(JSON.stringify(value));
  if (bytes > limits.maxBytes) {
    problems.push(
      `a record must be at most ${limits.maxBytes} bytes of JSON (this one is ${bytes})`,
    );
  }
  problems.push(...content.problems);
  return problems;
}

/** An object as JSON makes it: not an array, a date or a BSON value. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

interface Pending {
  value: unknown;
  path: string;
  depth: number;
  /** What is wrong with the key that leads to this value, if anything. */
  keyProblem?: string;
}

/** Unsafe keys, unstorable values and nesting beyond `maxDepth`, in document order. */
function contentProblems(
  document: Record<string, unknown>,
  maxDepth: number,
): { problems: string[]; tooDeep: boolean } {
  const problems: string[] = [];
  let tooDeep = false;
  const pending: Pending[] = [{ value: document, path: '', depth: 1 }];
  while (pending.length > 0) {
    const { value, path, depth, keyProblem: badKey } = pending.pop()!;
    if (badKey) problems.push(`field "${path}" ${badKey}`);
    const children: Pending[] = [];
    if (Array.isArray(value)) {
      value.forEach((item, index) =>
        children.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }),
      );
    } else if (isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        children.push({
          value: child,
          path: childPath,
          depth: depth + 1,
          keyProblem: keyProblem(key),
        });
      }
    } else {
      const problem = valueProblem(value);
      if (problem) problems.push(`field "${path}" ${problem}`);
      continue;
    }
    if (depth > maxDepth) {
      tooDeep = true;
      continue;
    }
    // Reversed, so the stack visits the children in document order.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push(children[index]);
  }
  if (tooDeep)
    problems.push(`a record may nest objects and arrays at most ${maxDepth} levels deep`);
  return { problems, tooDeep };
}

function serverFieldProblems(document: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (Object.hasOwn(document, '_id') && bsonType(document._id) !== 'ObjectId') {
    problems.push('field "_id" must be an ObjectId');
  }
  for (const field of ['createdAt', 'updatedAt'] as const) {
    if (Object.hasOwn(document, field) && !(document[field] instanceof Date)) {
      problems.push(`field "${field}" must be a date`);
    }
  }
  return problems;
}

/** Characters MongoDB forbids in names, or that FerretDB 1.x cannot store or read back in them. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const UNSAFE_KEY_CHARACTERS = /["\\\u0000-\u001f]/;

function keyProblem(key: string): string | undefined {
  if (key === '') return 'must have a name';
  if (key.startsWith('$')) return "must not start with '$'";
  if (key.includes('.')) return "must not contain '.'";
  if (UNSAFE_KEY_CHARACTERS.test(key))
    return 'must not contain double quotes, backslashes or control characters';
  // The BSON serializer reads an object with this key as one of its own types.
  if (key === '_bsontype') return 'is a reserved name';
  return undefined;
}

function valueProblem(value: unknown): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : 'must be a finite number';
  if (value instanceof Date) {
    const time = value.getTime();
    return Math.abs(time) <= MAX_DATE_MS ? undefined : 'must be a date within ±275,000 years';
  }
  const type = bsonType(value);
  if (type === undefined || !STORABLE_BSON_TYPES.has(type)) {
    return `has a type the database cannot store (${type ?? typeof value})`;
  }
  if (type === 'Double' && !Number.isFinite((value as { value: number }).value)) {
    return 'must be a finite number';
  }
  return undefined;
}

function bsonType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('_bsontype' in value)) return undefined;
  const type = value._bsontype;
  return typeof type === 'string' ? type : undefined;
}
