import { mongo } from 'mongoose';
import { checkRecord } from './record-rules';

const { Binary, BSONRegExp, BSONSymbol, Code, Decimal128, Double, Int32, Long, MaxKey, MinKey } =
  mongo.BSON;
const { ObjectId, Timestamp } = mongo.BSON;

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
      'field "list[0].x\u0000" must not contain double quotes, backslashes or control characters',
      'field "" must have a name',
    ]);
  });

  it.each(['say "hi"', 'back\\slash', 'tab\there', 'bell\u0007'])('refuses the key %j', (key) => {
    expect(checkRecord({ [key]: 1 }, limits)).toEqual([
      `field "${key}" must not contain double quotes, backslashes or control characters`,
    ]);
  });

  it('refuses the server-owned fields unless told to allow them', () => {
    const record = { _id: 'mine', createdAt: 'now', updatedAt: 'now' };
    expect(checkRecord(record, limits)).toEqual([
      'field "_id" is set by the server',
      'field "createdAt" is set by the server',
      'field "updatedAt" is set by the server',
    ]);
    expect(checkRecord(record, limits, 'allow')).toEqual([
      'field "_id" must be an ObjectId',
      'field "createdAt" must be a date',
      'field "updatedAt" must be a date',
    ]);
    const imported = { _id: new ObjectId(), createdAt: new Date(), updatedAt: new Date() };
    expect(checkRecord(imported, limits, 'allow')).toEqual([]);
  });

  it('walks wide arrays and deep nesting without recursion', () => {
    const wide = { numbers: Array.from({ length: 200_000 }, (_, index) => index) };
    expect(checkRecord(wide, { maxBytes: 10_000_000, maxDepth: 3 })).toEqual([]);
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level += 1) deep = { a: deep };
    expect(checkRecord(deep, { maxBytes: Infinity, maxDepth: 20 })).toEqual([
      'a record may nest objects and arrays at most 20 levels deep',
    ]);
  });

  it('refuses keys the BSON serializer reads as its own', () => {
    expect(checkRecord({ a: { _bsontype: 'ObjectId' } }, limits)).toEqual([
      'field "a._bsontype" is a reserved name',
    ]);
  });

  it('keeps the BSON types both databases store, and refuses the others', () => {
    const kept = {
      long: Long.fromString('9223372036854775807'),
      int: new Int32(7),
      double: new Double(1.5),
      binary: new Binary(Buffer.from('hi')),
      regex: new BSONRegExp('^a', 'i'),
      timestamp: new Timestamp({ t: 1, i: 2 }),
      date: new Date(0),
      id: new ObjectId(),
    };
    expect(checkRecord(kept, { maxBytes: 10_000, maxDepth: 3 })).toEqual([]);
    const refused = {
      decimal: Decimal128.fromString('1.5'),
      code: new Code('x'),
      symbol: new BSONSymbol('s'),
      min: new MinKey(),
      max: new MaxKey(),
      nan: new Double(NaN),
      late: new Date(8.64e15 + 1),
    };
    expect(checkRecord(refused, { maxBytes: 10_000, maxDepth: 3 })).toEqual([
      'field "decimal" has a type the database cannot store (Decimal128)',
      'field "code" has a type the database cannot store (Code)',
      'field "symbol" has a type the database cannot store (BSONSymbol)',
      'field "min" has a type the database cannot store (MinKey)',
      'field "max" has a type the database cannot store (MaxKey)',
      'field "nan" must be a finite number',
      'field "late" must be a date within ±275,000 years',
    ]);
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
