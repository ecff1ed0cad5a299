import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { CursorPageQuery } from '../../common/cursor-page.query';
import { OptionalField } from '../../common/optional-field.decorator';
import { AuditAction, AuditTargetType } from '../audit-action';
import type { AuditEntry } from '../schemas/audit-entry.schema';

export class ListAuditQuery extends CursorPageQuery {
  @ApiPropertyOptional({ enum: AuditAction, description: 'Only entries of this action.' })
  @OptionalField()
  @IsEnum(AuditAction, {
    message: `action must be one of: ${Object.values(AuditAction).join(', ')}`,
  })
  action?: AuditAction;
}

export class AuditTargetDto {
  @ApiProperty({ enum: AuditTargetType })
  type: AuditTargetType;

  @ApiPropertyOptional({ example: '665f1c2e8b3e4a0012345678' })
  id?: string;

  @ApiPropertyOptional({ example: 'ada@acme.example' })
  email?: string;

  @ApiPropertyOptional({ description: 'The organization’s name (the new one after a rename).' })
  name?: string;

  @ApiPropertyOptional({ description: 'The role given (invitation, role change).' })
  role?: string;

  @ApiPropertyOptional({ description: 'Documents an import or bulk write stored.' })
  stored?: number;

  @ApiPropertyOptional({ description: 'Documents an import or bulk write refused.' })
  refused?: number;
}

export class AuditEntryDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678' })
  id: string;

  @ApiProperty({ enum: AuditAction })
  action: AuditAction;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The admin who made the change; null when anonymous (a failed login).',
  })
  actor_id: string | null;

  @ApiProperty({ type: AuditTargetDto, nullable: true })
  target: AuditTargetDto | null;

  @ApiProperty({ type: String, nullable: true })
  organization_id: string | null;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ type: String, nullable: true, description: 'The request’s X-Request-Id.' })
  request_id: string | null;

  @ApiProperty({ type: String, nullable: true })
  client_address: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Newest first' })
  items: AuditEntryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` for the next (older) page; null on the last page.',
  })
  next_cursor: string | null;
}

export function toAuditEntry(entry: AuditEntry): AuditEntryDto {
  const { target } = entry;
  return {
    id: entry._id.toString(),
    action: entry.action,
    actor_id: entry.actorId?.toString() ?? null,
    target: target && {
      type: target.type,
      ...(target.id ? { id: target.id.toString() } : {}),
      ...(target.email !== undefined ? { email: target.email } : {}),
      ...(target.name !== undefined ? { name: target.name } : {}),
      ...(target.role !== undefined ? { role: target.role } : {}),
      ...(target.stored !== undefined ? { stored: target.stored } : {}),
      ...(target.refused !== undefined ? { refused: target.refused } : {}),
    },
    organization_id: entry.organizationId?.toString() ?? null,
    at: entry.at.toISOString(),
    request_id: entry.requestId,
    client_address: entry.clientAddress,
  };
}
