import { ApiProperty } from '@nestjs/swagger';
import { OrganizationStatus } from '../../organization/schemas/organization.schema';
import { Placement } from '../../tenant/placement';

export class OperatorOrganizationDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345679' })
  id: string;

  @ApiProperty({ example: 'acme' })
  name: string;

  @ApiProperty({ enum: OrganizationStatus })
  status: OrganizationStatus;

  @ApiProperty({ enum: Placement })
  placement: Placement;

  @ApiProperty({ type: String, nullable: true, description: 'Set for the cluster placement.' })
  cluster: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Null when its database cannot be reached now.',
  })
  records: number | null;
}

export class OperatorOrganizationPageDto {
  @ApiProperty({ type: [OperatorOrganizationDto] })
  items: OperatorOrganizationDto[];

  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}
