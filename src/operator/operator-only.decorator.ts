import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { OwnCredentials } from '../auth/decorators/public.decorator';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { OperatorKeyGuard } from './operator-key.guard';

export const OPERATOR_AUTH = 'operator-key';

/** The operator key instead of an admin token, for Nest and for Swagger alike. */
export const OperatorOnly = () =>
  applyDecorators(
    OwnCredentials(),
    UseGuards(OperatorKeyGuard),
    ApiTags('operator'),
    ApiBearerAuth(OPERATOR_AUTH),
    ApiErrorResponses(401, 404),
  );
