import { HttpException, HttpStatus } from '@nestjs/common';

/** A refusal the client should repeat later: answered with `Retry-After`. */
export class RetryLaterException extends HttpException {
  constructor(
    status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, status);
  }
}
