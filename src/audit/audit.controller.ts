import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { CurrentAdmin } from '../auth/decorators/current-admin.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { MANAGERS } from '../auth/role';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { AuditTrail } from './audit-trail.service';
import { AuditPageDto, ListAuditQuery } from './dto/audit-entry.dto';

@ApiTags('audit')
@Controller('org')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get('audit')
  @Roles(...MANAGERS)
  @ApiOperation({
    summary: 'The audit trail of the caller’s organization, newest first, with a cursor',
    description:
      'Who changed what, when, from which address and in which request: organization, ' +
      'members, credentials, logins, sessions and imports. Never a secret or a token.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrorResponses(400, 503)
  list(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Query() query: ListAuditQuery,
  ): Promise<AuditPageDto> {
    return this.audit.list(caller, query);
  }
}
