import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { OptionallyAuthenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentAdmin } from '../auth/decorators/current-admin.decorator';
import { Public } from '../auth/decorators/public.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { CreateRateLimits } from '../auth/rate-limits';
import { Role } from '../auth/role';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { DeleteOrganizationDto } from './dto/delete-organization.dto';
import { GetOrganizationQuery } from './dto/get-organization.query';
import { OrganizationResponseDto } from './dto/organization-response.dto';
import { UpdateOrganizationResponseDto } from './dto/update-organization-response.dto';
import { UpdateOrganizationDto } from './dto/update-organization.dto';
import { OrganizationService } from './organization.service';

@ApiTags('organization')
@Controller('org')
export class OrganizationController {
  constructor(private readonly organizations: OrganizationService) {}

  @Post('create')
  @Public()
  @CreateRateLimits()
  @ApiOperation({
    summary: 'Create an organization, its admin and its data collection',
    description:
      'Requests are limited per client address; over the limit the answer is 429 with ' +
      'Retry-After (seconds) until the block ends.',
  })
  @ApiCreatedResponse({ type: OrganizationResponseDto })
  @ApiErrorResponses(400, 409, 413, 429)
  create(@Body() dto: CreateOrganizationDto): Promise<OrganizationResponseDto> {
    return this.organizations.create(dto);
  }

  @Get('get')
  @Public()
  @OptionallyAuthenticated()
  @ApiOperation({
    summary: 'Get an organization by name',
    description:
      'Public. With a bearer token of the organization’s own admin, the admin’s email is included.',
  })
  @ApiOkResponse({ type: OrganizationResponseDto })
  @ApiErrorResponses(400, 401, 404)
  get(
    @Query() query: GetOrganizationQuery,
    @CurrentAdmin() caller?: AuthenticatedAdmin,
  ): Promise<OrganizationResponseDto> {
    return this.organizations.findByName(query.organization_name, caller);
  }

  @Put('update')
  @Roles(Role.Owner)
  @ApiOperation({
    summary: 'Rename the caller’s organization or change its admin’s email or password',
    description:
      'A rename moves the data collection with MongoDB renameCollection; tokens stay valid. ' +
      'Sending the current password changes nothing and revokes nothing. A new password ' +
      'revokes every token issued before it, including the one used for the request, and the ' +
      'answer then carries a fresh access_token, token_type and expires_in.',
  })
  @ApiOkResponse({
    type: UpdateOrganizationResponseDto,
    description: 'access_token, token_type and expires_in only when the password changed',
  })
  @ApiErrorResponses(400, 403, 404, 409, 413)
  update(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Body() dto: UpdateOrganizationDto,
  ): Promise<UpdateOrganizationResponseDto> {
    return this.organizations.update(caller, dto);
  }

  @Delete('delete')
  @Roles(Role.Owner)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete the caller’s organization, its admins and its data collection',
    description: 'organization_name, in the query or the body, is an optional confirmation.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(400, 403, 404, 409, 413)
  remove(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Query() query: DeleteOrganizationDto,
    @Body() body: DeleteOrganizationDto,
  ): Promise<void> {
    return this.organizations.remove(caller, [query.organization_name, body.organization_name]);
  }
}
