import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { CurrentAdmin } from '../auth/decorators/current-admin.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { ANY_MEMBER, MANAGERS, Role } from '../auth/role';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { ObjectIdPipe } from '../common/object-id.pipe';
import { ChangeRoleDto } from './dto/change-role.dto';
import { MemberDto, MemberListDto } from './dto/member.dto';
import { TransferOwnershipDto } from './dto/transfer-ownership.dto';
import { MembersService } from './members.service';

const MEMBER_ID = { name: 'admin_id', description: 'A member id (24 hexadecimal characters)' };
const MEMBER_ID_PIPE = new ObjectIdPipe('admin_id', 'a member id');
const MANAGING_RULES =
  'Owners manage every member; admins manage admins and viewers and cannot make an owner. ' +
  'The last owner can be neither demoted nor removed (409).';

@ApiTags('members')
@Controller('org')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get('members')
  @Roles(...ANY_MEMBER)
  @ApiOperation({ summary: 'The members of the caller’s organization, oldest first' })
  @ApiOkResponse({ type: MemberListDto })
  list(@CurrentAdmin() caller: AuthenticatedAdmin): Promise<MemberListDto> {
    return this.members.list(caller);
  }

  @Patch('members/:admin_id')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Change a member’s role', description: MANAGING_RULES })
  @ApiParam(MEMBER_ID)
  @ApiOkResponse({ type: MemberDto })
  @ApiErrorResponses(400, 404, 409)
  changeRole(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Param('admin_id', MEMBER_ID_PIPE) memberId: string,
    @Body() dto: ChangeRoleDto,
  ): Promise<MemberDto> {
    return this.members.changeRole(caller, memberId, dto.role);
  }

  @Delete('members/:admin_id')
  @Roles(...MANAGERS)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Remove a member; its tokens stop working at once',
    description: MANAGING_RULES,
  })
  @ApiParam(MEMBER_ID)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrorResponses(400, 404, 409)
  remove(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Param('admin_id', MEMBER_ID_PIPE) memberId: string,
  ): Promise<void> {
    return this.members.remove(caller, memberId);
  }

  @Post('owner/transfer')
  @Roles(Role.Owner)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Make another member owner; the calling owner becomes admin' })
  @ApiNoContentResponse({ description: 'Transferred' })
  @ApiErrorResponses(400, 404, 409)
  transfer(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Body() dto: TransferOwnershipDto,
  ): Promise<void> {
    return this.members.transferOwnership(caller, dto.admin_id);
  }
}
