import {
  createParamDecorator,
  ExecutionContext,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Readable } from 'node:stream';

export const NDJSON = 'application/x-ndjson';

/**
 * The request body as a stream, for uploads read as they arrive rather than parsed whole.
 * Only NDJSON is taken; the JSON body parser leaves such a body untouched.
 */
export const NdjsonBody = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Readable => {
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.is(NDJSON)) {
      throw new UnsupportedMediaTypeException(`Send the records as ${NDJSON}, one document a line`);
    }
    return request;
  },
);
