import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { CursorPageQuery } from '../common/cursor-page.query';
import { ObjectIdPipe } from '../common/object-id.pipe';
import { ClusterDto, ClusterListDto, RegisterClusterDto } from './dto/cluster.dto';
import { MoveOrganizationDto, MoveStartedDto, MoveStatusDto } from './dto/move.dto';
import { OperatorOrganizationPageDto } from './dto/operator-organization.dto';
import { OperatorOnly } from './operator-only.decorator';
import { OperatorService } from './operator.service';

@OperatorOnly()
@Controller('operator')
export class OperatorController {
  constructor(private readonly operator: OperatorService) {}

  @Get('organizations')
  @ApiOperation({ summary: 'Every organization with its placement and record count, by id' })
  @ApiOkResponse({ type: OperatorOrganizationPageDto })
  @ApiErrorResponses(400)
  listOrganizations(@Query() query: CursorPageQuery): Promise<OperatorOrganizationPageDto> {
    return this.operator.listOrganizations(query);
  }

  @Post('organizations/:organization_id/move')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start moving an organization to another placement; it keeps serving meanwhile',
  })
  @ApiAcceptedResponse({ type: MoveStartedDto })
  @ApiErrorResponses(400, 409)
  move(
    @Param('organization_id', new ObjectIdPipe('organization_id', 'an organization id'))
    organizationId: string,
    @Body() body: MoveOrganizationDto,
  ): Promise<MoveStartedDto> {
    return this.operator.move(organizationId, body);
  }

  @Get('moves/:move_id')
  @ApiOperation({ summary: 'A move’s state and progress' })
  @ApiOkResponse({ type: MoveStatusDto })
  @ApiErrorResponses(400)
  findMove(
    @Param('move_id', new ObjectIdPipe('move_id', 'a move id')) moveId: string,
  ): Promise<MoveStatusDto> {
    return this.operator.findMove(moveId);
  }

  @Post('clusters')
  @ApiOperation({
    summary: 'Register a cluster once it answers a ping; its connection string is stored encrypted',
  })
  @ApiCreatedResponse({ type: ClusterDto })
  @ApiErrorResponses(400, 409, 422, 503)
  registerCluster(@Body() body: RegisterClusterDto): Promise<ClusterDto> {
    return this.operator.registerCluster(body);
  }

  @Get('clusters')
  @ApiOperation({ summary: 'Every registered cluster: hosts, health and number of tenants' })
  @ApiOkResponse({ type: ClusterListDto })
  listClusters(): Promise<ClusterListDto> {
    return this.operator.listClusters();
  }
}
