import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { type Observable, tap } from 'rxjs';
import type { RecordResponseDto } from './dto/record-response.dto';
import { etagOf } from './record-etag';

/** Puts the record's version in the ETag header of a single-record answer. */
@Injectable()
export class RecordETagInterceptor implements NestInterceptor {
  intercept(
    context: ExecutionContext,
    next: CallHandler<RecordResponseDto>,
  ): Observable<RecordResponseDto> {
    return next.handle().pipe(
      tap((record) => {
        if (!record?.updated_at) return;
        context
          .switchToHttp()
          .getResponse<Response>()
          .setHeader('ETag', etagOf(new Date(record.updated_at)));
      }),
    );
  }
}
