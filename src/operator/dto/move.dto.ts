import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, ValidateIf } from 'class-validator';
import { CLUSTER_NAME } from '../../cluster/cluster-uri';
import { MoveState } from '../../organization/schemas/tenant-move.schema';
import { Placement } from '../../tenant/placement';

const MOVABLE = [Placement.Shared, Placement.Database, Placement.Cluster];

export class MoveOrganizationDto {
  @ApiProperty({ enum: MOVABLE })
  @IsIn(MOVABLE, { message: `placement must be one of: ${MOVABLE.join(', ')}` })
  placement: Placement;

  @ApiPropertyOptional({
    example: 'eu-1',
    description: 'The registered cluster; required with the cluster placement, refused otherwise.',
  })
  @ValidateIf(
    (dto: MoveOrganizationDto) => dto.placement === Placement.Cluster || dto.cluster !== undefined,
  )
  @Matches(CLUSTER_NAME, { message: 'cluster must be the name of a registered cluster' })
  @IsString({ message: 'cluster must be the name of a registered cluster' })
  cluster?: string;
}

export class MoveStartedDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345699' })
  move_id: string;
}

export class MoveStatusDto {
  @ApiProperty({ enum: MoveState })
  state: MoveState;

  @ApiProperty({ description: 'Documents copied so far in the copy step.' })
  copied: number;

  @ApiProperty({ description: 'Documents the source held when the copy began.' })
  total: number;

  @ApiPropertyOptional({ description: 'Why a failed move failed.' })
  error?: string;
}
