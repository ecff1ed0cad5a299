import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { Types } from 'mongoose';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { RetryLaterException } from '../common/retry-later.exception';
import type { AuditAction } from './audit-action';
import { AuditRepository } from './audit.repository';
import { AuditEntryDto, AuditPageDto, ListAuditQuery, toAuditEntry } from './dto/audit-entry.dto';
import { currentOrigin } from './request-context';
import type { AuditTarget } from './schemas/audit-entry.schema';

const RETRY_AFTER_SECONDS = 5;

/** A change to record: ids as strings or ObjectIds, as the caller has them. */
export interface AuditChange {
  action: AuditAction;
  /** The admin who acted; null when nobody is known (a failed login). */
  actorId: Types.ObjectId | string | null;
  organizationId: Types.ObjectId | string | null;
  target: AuditTarget | null;
}

/**
 * Appends to the audit trail and reads it back. A change is recorded once it is made and
 * before it is acknowledged: recording it first would log changes that then fail (a taken
 * name, a lost race) as done. A failed write is never swallowed: the request answers 503,
 * so no acknowledged change goes unrecorded (the change itself stands, and a crash between
 * the two loses at most that one entry).
 */
@Injectable()
export class AuditTrail {
  private readonly logger = new Logger(AuditTrail.name);

  constructor(private readonly entries: AuditRepository) {}

  async record({ action, actorId, organizationId, target }: AuditChange): Promise<void> {
    const { requestId, clientAddress } = currentOrigin();
    try {
      await this.entries.insert({
        actorId: toObjectId(actorId),
        action,
        target,
        organizationId: toObjectId(organizationId),
        at: new Date(),
        requestId,
        clientAddress,
      });
    } catch (error) {
      this.logger.error({ err: error, action, requestId }, 'Could not write an audit entry');
      throw new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'The audit trail could not be written; try again shortly',
        RETRY_AFTER_SECONDS,
      );
    }
  }

  /** The caller's organization's entries, newest first; the organization is the token's. */
  async list(caller: AuthenticatedAdmin, query: ListAuditQuery): Promise<AuditPageDto> {
    const page = await this.entries.page({
      organizationId: new Types.ObjectId(caller.organizationId),
      limit: query.limit,
      before: query.after ? new Types.ObjectId(query.after) : undefined,
      action: query.action,
    });
    const items: AuditEntryDto[] = page.slice(0, query.limit).map(toAuditEntry);
    return {
      items,
      next_cursor: page.length > query.limit ? items[items.length - 1].id : null,
    };
  }
}

function toObjectId(id: Types.ObjectId | string | null): Types.ObjectId | null {
  return id === null ? null : new Types.ObjectId(id);
}
