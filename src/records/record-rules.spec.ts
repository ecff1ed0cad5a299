import { checkRecord } from './record-rules';

const limits = { maxBytes: 1024, maxDepth: 3 };

describe('checkRecord', () => {
  it('accepts a plain JSON object', () => {
    expect(checkRecord({ name: 'widget', tags: ['a'], size: { w: 1 } }, limits)).toEqual([]);
  });

  it.each([[null], [[1, 2]], ['text'], [42]])('refuses %j as a record', (value) => {
    expect(checkRecord(value, limits)).toEqual(['a record must be a JSON object']);
  });

  it('refuses unsafe keys wherever they are, naming their path', () => {
    expect(
      checkRecord({ $where: 1, a: { 'b.c': 1 }, list: [{ 'x\u0000': 1 }], '': 2 }, limits),
    ).toEqual([
      `field "$where" must not start with '$'`,
      `field "a.b.c" must not contain '.'`,
      'field "list[0].x\u0000" must not contain quotes, backslashes or control characters',
      'field "" must have a name',
    ]);
  });

  it.each(['say "hi"', 'back\\slash', 'tab\there', 'bell\u0007'])('refuses the key %j', (key) => {
    expect(checkRecord({ [key]: 1 }, limits)).toEqual([
      `field "${key}" must not contain quotes, backslashes or control characters`,
    ]);
  });

  it('refuses the server-owned fields unless told to allow them', () => {
    const record = { _id: 'mine', createdAt: 'now', updatedAt: 'now' };
    expect(checkRecord(record, limits)).toEqual([
      'field "_id" is set by the server',
      'field "createdAt" is set by the server',
      'field "updatedAt" is set by the server',
    ]);
    expect(checkRecord(record, limits, 'allow')).toEqual([]);
  });

  it('counts size in bytes of JSON and depth in levels of nesting', () => {
    expect(checkRecord({ a: { b: { c: 1 } } }, limits)).toEqual([]);
    expect(checkRecord({ a: { b: { c: [1] } } }, limits)).toEqual([
      'a record may nest objects and arrays at most 3 levels deep',
    ]);
    expect(checkRecord({ text: 'é'.repeat(510) }, limits)).toEqual([
      'a record must be at most 1024 bytes of JSON (this one is 1031)',
    ]);
  });
});
