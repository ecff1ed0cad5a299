import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from './database-unavailable';
import type { ErrorResponseDto } from './error-response.dto';
import { RetryLaterException } from './retry-later.exception';

const RETRY_AFTER_SECONDS = 5;

/**
 * Turns every error into `{ statusCode, error, message }`. HTTP exceptions keep their
 * status and message; an unreachable database is a 503 with Retry-After; anything unexpected is logged with the request id and answered
 * with a bare 500, so no stack trace or driver message ever reaches a client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const body = this.toBody(exception, context.getRequest<Request>());
    if (exception instanceof RetryLaterException) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    } else if (body.statusCode === (HttpStatus.SERVICE_UNAVAILABLE as number)) {
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    this.adapterHost.httpAdapter.reply(response, body, body.statusCode);
  }

  private toBody(exception: unknown, request: Request): ErrorResponseDto {
    if (exception instanceof HttpException) {
      return errorBody(exception.getStatus(), messageOf(exception));
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ requestId: request.id, err: exception }, 'Database unavailable');
      return errorBody(
        HttpStatus.SERVICE_UNAVAILABLE,
        'The database is unavailable; try again shortly',
      );
    }
    this.logger.error(
      { err: exception, requestId: request.id, method: request.method, path: request.path },
      'Unhandled error',
    );
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}

function errorBody(statusCode: number, message: string): ErrorResponseDto {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const { message } = response as { message?: unknown };
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
