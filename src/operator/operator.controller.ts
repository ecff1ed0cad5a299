import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CursorPageQuery } from '../common/cursor-page.query';
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
  listOrganizations(@Query() query: CursorPageQuery): Promise<OperatorOrganizationPageDto> {
    return this.operator.listOrganizations(query);
  }
}
