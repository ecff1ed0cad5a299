import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { mongo, trusted, Types } from 'mongoose';
import { Readable } from 'node:stream';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditTrail } from '../audit/audit-trail.service';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import type { ValidatedEnvironment } from '../config/environment';
import { TenantConnectionService } from '../tenant/tenant-connection.service';
import { recordData, type TenantRecord } from '../tenant/tenant-record.schema';
import { TenantWriteGate } from '../tenant/tenant-write-gate.service';
import { BulkWriteAdmission } from './bulk-write-admission';
import { BulkResultDto } from './dto/bulk-records.dto';
import { ImportResultDto } from './dto/import-result.dto';
import { ListRecordsQuery } from './dto/list-records.query';
import { RecordPageDto } from './dto/record-page.dto';
import { RecordResponseDto, toRecordResponse } from './dto/record-response.dto';
import { CANNOT_STORE, insertRecords, isUnstorable, storedDocument } from './insert-records';
import { applyMergePatch } from './json-merge-patch';
import { mergePatchUpdate } from './merge-patch-update';
import { assertIfMatch, nextUpdatedAt } from './record-etag';
import { RecordLocks } from './record-locks.repository';
import { importNdjson, type ImportLimits } from './ndjson-import';
import { checkRecord } from './record-rules';

const { EJSON } = mongo.BSON;
/** 64-bit integers come back as such, never rounded to a JavaScript number. */
const EXACT_TYPES = { promoteLongs: false } as const;
/** An import's next batch may wait this long for a rename under way to finish. */
const IMPORT_BATCH_WAIT_MS = 30_000;

/**
 * The caller's own documents. Every method takes the caller and reaches the data only
 * through its organization's collection: reads through the model TenantConnectionService
 * binds, writes through TenantWriteGate, so an id from another organization is simply not
 * found. Documents are read lean and written with the driver: they are the client's
 * data, never Mongoose documents.
 */
@Injectable()
export class RecordsService {
  private readonly limits: ImportLimits;

  constructor(
    private readonly tenants: TenantConnectionService,
    private readonly gate: TenantWriteGate,
    private readonly admission: BulkWriteAdmission,
    private readonly locks: RecordLocks,
    private readonly audit: AuditTrail,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.limits = {
      maxBytes: config.get('RECORD_MAX_BYTES', { infer: true }),
      maxDepth: config.get('RECORD_MAX_DEPTH', { infer: true }),
      batchBytes: config.get('IMPORT_BATCH_BYTES', { infer: true }),
      maxRefused: config.get('IMPORT_MAX_REFUSED', { infer: true }),
    };
  }

  async create(caller: AuthenticatedAdmin, document: unknown): Promise<RecordResponseDto> {
    const record = storedDocument(this.accept(document), new Date());
    await this.gate
      .write(caller.organizationId, (records) => records.insertOne(record))
      .catch(rethrowUnstorable);
    return toRecordResponse(record as TenantRecord);
  }

  async list(caller: AuthenticatedAdmin, query: ListRecordsQuery): Promise<RecordPageDto> {
    const records = await this.tenants.modelFor(caller.organizationId);
    const filter = query.after ? { _id: trusted({ $gt: new Types.ObjectId(query.after) }) } : {};
    const page = await records
      .find(filter)
      .sort({ _id: 1 })
      .limit(query.limit + 1)
      .setOptions(EXACT_TYPES)
      .lean<TenantRecord[]>()
      .exec();
    const items = page.slice(0, query.limit);
    return {
      items: items.map(toRecordResponse),
      next_cursor: page.length > query.limit ? items[items.length - 1]._id.toString() : null,
      ...(query.include_total ? { total: await records.countDocuments().exec() } : {}),
    };
  }

  async findOne(caller: AuthenticatedAdmin, id: string): Promise<RecordResponseDto> {
    const records = await this.tenants.modelFor(caller.organizationId);
    const record = await records.findById(id).setOptions(EXACT_TYPES).lean<TenantRecord>().exec();
    return toRecordResponse(record ?? notFound(id));
  }

  /** Replaces the client's fields; `ifMatch` (an ETag) makes it conditional. */
  async replace(
    caller: AuthenticatedAdmin,
    id: string,
    document: unknown,
    ifMatch?: string,
  ): Promise<RecordResponseDto> {
    const data = this.accept(document);
    return this.changeRecord(caller, id, async (records, existing) => {
      assertIfMatch(ifMatch, existing.updatedAt);
      return records.findOneAndReplace(
        { _id: existing._id },
        { ...data, createdAt: existing.createdAt, updatedAt: nextUpdatedAt(existing.updatedAt) },
        { returnDocument: 'after' },
      );
    });
  }

  /**
   * Applies an RFC 7396 merge patch as one update of the paths it touches, so concurrent
   * patches of different fields all take effect; `ifMatch` makes it conditional.
   */
  async patch(
    caller: AuthenticatedAdmin,
    id: string,
    patch: unknown,
    ifMatch?: string,
  ): Promise<RecordResponseDto> {
    const changes = this.accept(patch);
    return this.changeRecord(caller, id, async (records, existing) => {
      assertIfMatch(ifMatch, existing.updatedAt);
      // The patched record obeys the same rules, so a patch cannot touch `_id` or the
      // timestamps, nor grow a record past its limits.
      this.accept(applyMergePatch(recordData(existing), changes));
      const { $set, $unset } = mergePatchUpdate(recordData(existing), changes);
      return records.findOneAndUpdate(
        { _id: existing._id },
        {
          $set: { ...$set, updatedAt: nextUpdatedAt(existing.updatedAt) },
          ...(Object.keys($unset).length > 0 ? { $unset } : {}),
        },
        { returnDocument: 'after' },
      );
    });
  }

  async remove(caller: AuthenticatedAdmin, id: string, ifMatch?: string): Promise<void> {
    await this.changeRecord(caller, id, async (records, existing) => {
      assertIfMatch(ifMatch, existing.updatedAt);
      await records.deleteOne({ _id: existing._id });
      return existing;
    });
  }

  /** Stores every acceptable record and reports each refused one with its reason. */
  async bulkCreate(caller: AuthenticatedAdmin, documents: unknown[]): Promise<BulkResultDto> {
    const result = await this.storeBulk(caller, documents);
    const { stored, refused } = result;
    await this.recordBulk(caller, AuditAction.RecordsBulkCreate, stored.length, refused.length);
    return result;
  }

  private storeBulk(caller: AuthenticatedAdmin, documents: unknown[]): Promise<BulkResultDto> {
    return this.admission.run(caller.organizationId, async () => {
      const result: BulkResultDto = { stored: [], refused: [] };
      const accepted: { index: number; data: Record<string, unknown> }[] = [];
      documents.forEach((document, index) => {
        const problems = checkRecord(document, this.limits);
        if (problems.length > 0) result.refused.push({ index, message: problems.join('; ') });
        else accepted.push({ index, data: document as Record<string, unknown> });
      });
      if (accepted.length === 0) return result;
      const outcome = await this.gate.write(caller.organizationId, (records) =>
        insertRecords(
          records,
          accepted.map(({ data }) => data),
        ),
      );
      for (const [position, id] of outcome.stored)
        result.stored.push({ index: accepted[position].index, id });
      for (const [position, message] of outcome.refused)
        result.refused.push({ index: accepted[position].index, message });
      result.refused.sort((a, b) => a.index - b.index);
      return result;
    });
  }

  /**
   * Canonical Extended JSON, one document a line, read from a cursor as it is sent, with
   * every BSON type as stored. The binding and the first document are read before the
   * answer starts, so a busy organization or an unreachable database still gets a proper
   * error answer.
   */
  async export(caller: AuthenticatedAdmin): Promise<Readable> {
    const records = await this.tenants.modelFor(caller.organizationId);
    const cursor = records.collection.find(
      {},
      { sort: { _id: 1 }, ...EXACT_TYPES, promoteValues: false, bsonRegExp: true },
    );
    const first = await cursor.next();
    const line = (record: object) => `${EJSON.stringify(record, { relaxed: false })}\n`;
    return Readable.from(
      (async function* () {
        if (!first) return;
        yield line(first);
        for await (const record of cursor) yield line(record);
      })(),
    );
  }

  /**
   * Whatever is left of a body the import did not read (refused, stopped early) is
   * discarded unparsed, so the client finishes sending and reads the answer.
   */
  import(caller: AuthenticatedAdmin, body: Readable): Promise<ImportResultDto> {
    return this.admission
      .run(caller.organizationId, () =>
        importNdjson(body, {
          limits: this.limits,
          insert: (write) => this.gate.write(caller.organizationId, write, IMPORT_BATCH_WAIT_MS),
        }),
      )
      .then(async (result) => {
        await this.recordBulk(caller, AuditAction.RecordsImport, result.imported, result.refused);
        return result;
      })
      .finally(() => body.resume());
  }

  private recordBulk(
    caller: AuthenticatedAdmin,
    action: AuditAction,
    stored: number,
    refused: number,
  ): Promise<void> {
    return this.audit.record({
      action,
      actorId: caller.adminId,
      organizationId: caller.organizationId,
      target: { type: AuditTargetType.Records, stored, refused },
    });
  }

  /**
   * One change of one existing record: behind the write barrier, holding the record's lock
   * (so concurrent writers to it take turns on FerretDB as on MongoDB), with the record as
   * it is now. 404 when it does not exist in the caller's organization.
   */
  private async changeRecord(
    caller: AuthenticatedAdmin,
    id: string,
    change: (records: mongo.Collection, existing: TenantRecord) => Promise<unknown>,
  ): Promise<RecordResponseDto> {
    const _id = new Types.ObjectId(id);
    const changed = await this.gate
      .write(caller.organizationId, (records) =>
        this.locks.withLock(caller.organizationId, id, async () => {
          const existing = await records.findOne<TenantRecord>({ _id }, EXACT_TYPES);
          return existing ? change(records, existing) : null;
        }),
      )
      .catch(rethrowUnstorable);
    return toRecordResponse((changed as TenantRecord | null) ?? notFound(id));
  }

  private accept(document: unknown): Record<string, unknown> {
    const problems = checkRecord(document, this.limits);
    if (problems.length > 0) throw new BadRequestException(problems.join('; '));
    return document as Record<string, unknown>;
  }
}

function rethrowUnstorable(error: unknown): never {
  throw isUnstorable(error) ? new BadRequestException(CANNOT_STORE) : error;
}

function notFound(id: string): never {
  throw new NotFoundException(`Record ${id} was not found`);
}
