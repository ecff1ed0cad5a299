import { HttpException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Errors raised by Express's body parser before a request reaches Nest. */
interface BodyParserError {
  type?: string;
  /** zlib's code, when a body labelled as compressed is not. */
  code?: string;
  status: number;
}

const UNDECODABLE = 'Request body does not match its Content-Encoding';

/** body-parser's `verify` hook throws this for JSON nested deeper than the limit. */
export const TOO_DEEP = 'entity.too.deep';

const MESSAGES: Record<string, string> = {
  [TOO_DEEP]: 'Request body nests objects and arrays too deeply',
  'entity.parse.failed': 'Request body is not valid JSON',
  'entity.too.large': 'Request body is larger than the allowed limit',
  'entity.verify.failed': 'Request body could not be verified',
  'encoding.unsupported': 'Request body encoding is not supported',
  'charset.unsupported': 'Request body charset is not supported',
  'request.aborted': 'Request was aborted',
  'request.size.invalid': 'Request body size does not match its Content-Length',
  'stream.encoding.set': 'Request body could not be read',
  'parameters.too.many': 'Request body has too many parameters',
};

/**
 * Express error middleware placed right after the body parser: its errors become HTTP
 * exceptions with a fixed message, so a parser's own wording never reaches a client.
 */
export function bodyParserErrors(
  error: unknown,
  _req: Request,
  _res: Response,
  next: NextFunction,
): void {
  next(isBodyParserError(error) ? new HttpException(messageFor(error), error.status) : error);
}

function messageFor(error: BodyParserError): string {
  if (error.type !== undefined && error.type in MESSAGES) return MESSAGES[error.type];
  if (error.code?.startsWith('Z_')) return UNDECODABLE;
  return 'Invalid request body';
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const candidate = error as Partial<BodyParserError> | null;
  return (
    (typeof candidate?.type === 'string' || typeof candidate?.code === 'string') &&
    typeof candidate.status === 'number' &&
    candidate.status < 500
  );
}
