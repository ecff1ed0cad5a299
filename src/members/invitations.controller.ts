import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { CurrentAdmin } from '../auth/decorators/current-admin.decorator';
import { Public } from '../auth/decorators/public.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { AcceptRateLimits } from '../auth/rate-limits';
import { MANAGERS } from '../auth/role';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { ObjectIdPipe } from '../common/object-id.pipe';
import {
  AcceptedInvitationDto,
  AcceptInvitationDto,
  CreatedInvitationDto,
  CreateInvitationDto,
  InvitationListDto,
} from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

const INVITATION_ID_PIPE = new ObjectIdPipe('id', 'an invitation id');

@ApiTags('members')
@Controller()
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post('org/invitations')
  @Roles(...MANAGERS)
  @ApiOperation({
    summary: 'Invite someone to the organization with a role',
    description:
      'The token is in this answer only and is single-use; it expires after INVITATION_TTL. ' +
      'Admins may invite admins and viewers; owners anyone. An email that already belongs ' +
      'to an admin gets 409.',
  })
  @ApiCreatedResponse({ type: CreatedInvitationDto })
  @ApiErrorResponses(400, 409)
  invite(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Body() dto: CreateInvitationDto,
  ): Promise<CreatedInvitationDto> {
    return this.invitations.invite(caller, dto);
  }

  @Get('org/invitations')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Pending invitations: neither accepted, revoked nor expired' })
  @ApiOkResponse({ type: InvitationListDto })
  list(@CurrentAdmin() caller: AuthenticatedAdmin): Promise<InvitationListDto> {
    return this.invitations.listPending(caller);
  }

  @Delete('org/invitations/:id')
  @Roles(...MANAGERS)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an invitation; its token then gets 410' })
  @ApiParam({ name: 'id', description: 'An invitation id (24 hexadecimal characters)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrorResponses(400, 404, 410)
  revoke(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Param('id', INVITATION_ID_PIPE) id: string,
  ): Promise<void> {
    return this.invitations.revoke(caller, id);
  }

  @Post('invitations/accept')
  @Public()
  @AcceptRateLimits()
  @ApiOperation({
    summary: 'Accept an invitation: creates the member with its email and role',
    description:
      'Public. 410 when the invitation expired, was used or was revoked; 409 when its email ' +
      'already belongs to an admin. Counted with POST /org/create per client address (429).',
  })
  @ApiCreatedResponse({ type: AcceptedInvitationDto })
  @ApiErrorResponses(400, 404, 409, 410, 429)
  accept(@Body() dto: AcceptInvitationDto): Promise<AcceptedInvitationDto> {
    return this.invitations.accept(dto);
  }
}
