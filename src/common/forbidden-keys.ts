import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Keys that reach an object's prototype when copied; no DTO of this service uses them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first forbidden key anywhere in a parsed JSON body or query, or undefined.
 * `JSON.parse` keeps `"__proto__"` as an own property, which a later copy or transform
 * could turn into a prototype change. The walk uses its own stack, so a deeply nested body
 * cannot overflow the call stack.
 */
export function findForbiddenKey(value: unknown): string | undefined {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== 'object') continue;
    for (const key of Object.keys(current)) {
      if (FORBIDDEN_KEYS.has(key)) return key;
      pending.push((current as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}

/** Express middleware placed after the body parser: refuses such keys with 400. */
export function refuseForbiddenKeys(
  request: Request,
  _response: Response,
  next: NextFunction,
): void {
  const key = findForbiddenKey(request.body) ?? findForbiddenKey(request.query);
  next(key === undefined ? undefined : new BadRequestException(`property ${key} is not allowed`));
}
