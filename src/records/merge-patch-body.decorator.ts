import {
  createParamDecorator,
  ExecutionContext,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request } from 'express';
import { JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE } from '../common/media-types';

/**
 * The body of a JSON merge patch, sent as application/merge-patch+json (RFC 7396) or
 * application/json; any other media type is a 415. A request without a body passes
 * through, so the patch rules answer it.
 */
export const MergePatchBody = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown => {
    const request = context.switchToHttp().getRequest<Request>();
    if (request.is([MERGE_PATCH_MEDIA_TYPE, JSON_MEDIA_TYPE]) === false) {
      throw new UnsupportedMediaTypeException(
        `Send the patch as ${MERGE_PATCH_MEDIA_TYPE} or ${JSON_MEDIA_TYPE}`,
      );
    }
    return request.body as unknown;
  },
);
