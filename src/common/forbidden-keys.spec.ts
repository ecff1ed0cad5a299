import { findForbiddenKey } from './forbidden-keys';

describe('findForbiddenKey', () => {
  it.each([
    ['{"__proto__":{"x":1}}', '__proto__'],
    ['{"a":[{"b":{"constructor":{"prototype":{}}}}]}', 'constructor'],
    ['{"a":{"prototype":1}}', 'prototype'],
    ['{"email":"a@b.example","password":"constructor"}', undefined],
  ])('finds the key in %s', (json, key) => {
    expect(findForbiddenKey(JSON.parse(json))).toBe(key);
  });

  it('walks a deeply nested body without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}{"__proto__":1}${']'.repeat(100_000)}`);
    expect(findForbiddenKey(deep)).toBe('__proto__');
  });
});
