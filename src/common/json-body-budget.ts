import { HttpStatus } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE } from './media-types';
import { RetryLaterException } from './retry-later.exception';

const RETRY_AFTER_SECONDS = 1;

/**
 * Bounds the memory that JSON bodies being read and parsed take in all: each request
 * reserves its declared length (or the per-request limit, when it declares none) from a
 * budget before the parser reads it, and gives it back when its answer is done. Over the
 * budget the answer is 503 with Retry-After, without reading the body.
 */
export function jsonBodyBudget(budgetBytes: number, perRequestLimit: number): RequestHandler {
  let reserved = 0;
  return (request: Request, response: Response, next: NextFunction) => {
    if (!request.is([JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE])) return next();
    const declared = Number(request.headers['content-length']);
    const cost = Number.isFinite(declared) ? Math.min(declared, perRequestLimit) : perRequestLimit;
    if (reserved + cost > budgetBytes) {
      response.setHeader('Connection', 'close');
      return next(
        new RetryLaterException(
          HttpStatus.SERVICE_UNAVAILABLE,
          'The service is busy reading other requests; try again shortly',
          RETRY_AFTER_SECONDS,
        ),
      );
    }
    reserved += cost;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      reserved -= cost;
    };
    response.once('finish', release);
    response.once('close', release);
    next();
  };
}
