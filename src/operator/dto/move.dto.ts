import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Placement } from '../../tenant/placement';
import { MoveState } from '../../organization/schemas/tenant-move.schema';

const MOVABLE = [Placement.Shared, Placement.Database];

export class MoveOrganizationDto {
  @ApiProperty({ enum: MOVABLE })
  @IsIn(MOVABLE, { message: `placement must be one of: ${MOVABLE.join(', ')}` })
  placement: Placement;
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
