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
  Put,
  Query,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Readable } from 'node:stream';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { CurrentAdmin } from '../auth/decorators/current-admin.decorator';
import { Roles } from '../auth/decorators/roles.decorator';
import { ANY_MEMBER, MANAGERS } from '../auth/role';
import { abortOnStreamError } from '../common/abort-on-stream-error';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { ObjectIdPipe } from '../common/object-id.pipe';
import { JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE } from '../common/media-types';
import { BulkEnvelopeInterceptor } from './bulk-envelope.interceptor';
import { BulkRecordsDto, BulkResultDto } from './dto/bulk-records.dto';
import { ImportResultDto } from './dto/import-result.dto';
import { ListRecordsQuery } from './dto/list-records.query';
import { RecordPageDto } from './dto/record-page.dto';
import { RecordResponseDto } from './dto/record-response.dto';
import { MergePatchBody } from './merge-patch-body.decorator';
import { IfMatch } from './if-match.decorator';
import { RecordETagInterceptor } from './record-etag.interceptor';
import { RecordsService } from './records.service';
import { NDJSON, NdjsonBody } from './request-stream.decorator';

const DOCUMENT_BODY = {
  schema: {
    type: 'object',
    additionalProperties: true,
    example: { sku: 'widget-1', qty: 4, tags: ['blue'], dims: { w: 2, h: 3 } },
  },
  description:
    'Any JSON object up to RECORD_MAX_BYTES (256 KB) and RECORD_MAX_DEPTH (20) levels; ' +
    "keys must not start with '$' or contain '.' or NUL; _id, createdAt and updatedAt are the server's.",
};
const RECORD_ID_PIPE = new ObjectIdPipe('id', 'a record id');
const RECORD_ID = { name: 'id', description: 'A record id (24 hexadecimal characters)' };
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description:
    "The record's ETag from an earlier answer: the change is made only if the record is " +
    'still that version, otherwise 412. `*` or no header: unconditional.',
};
const CONDITIONAL =
  'Optimistic concurrency: send the ETag of the version you read as If-Match; a stale one ' +
  'gets 412 and changes nothing.';
/** Every single-record answer carries the record's version. */
const ETAG_HEADERS = {
  ETag: {
    description: "The record's version; send it back as If-Match to change only this version.",
    schema: { type: 'string', example: '"m5x2k9a1"' },
  },
};

/**
 * The caller's own documents, in its organization's collection. Every route is Bearer-only:
 * every member reads, owners and admins write.
 */
@ApiTags('records')
@Controller('org')
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Post('records')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Store one document' })
  @UseInterceptors(RecordETagInterceptor)
  @ApiBody(DOCUMENT_BODY)
  @ApiCreatedResponse({ type: RecordResponseDto, headers: ETAG_HEADERS })
  @ApiErrorResponses(400, 413, 503)
  create(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Body() document: unknown,
  ): Promise<RecordResponseDto> {
    return this.records.create(caller, document);
  }

  @Get('records')
  @Roles(...ANY_MEMBER)
  @ApiOperation({ summary: 'A page of documents, oldest first, with a cursor for the next page' })
  @ApiOkResponse({ type: RecordPageDto })
  @ApiErrorResponses(400, 503)
  list(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Query() query: ListRecordsQuery,
  ): Promise<RecordPageDto> {
    return this.records.list(caller, query);
  }

  @Post('records/bulk')
  @Roles(...MANAGERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Store up to 1,000 documents; each refused one is reported with its reason',
  })
  @ApiOkResponse({ type: BulkResultDto })
  @ApiErrorResponses(400, 413, 503)
  @UseInterceptors(BulkEnvelopeInterceptor)
  bulkCreate(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Body() dto: BulkRecordsDto,
  ): Promise<BulkResultDto> {
    return this.records.bulkCreate(caller, dto.records);
  }

  @Get('records/:id')
  @Roles(...ANY_MEMBER)
  @ApiOperation({ summary: 'One document' })
  @UseInterceptors(RecordETagInterceptor)
  @ApiParam(RECORD_ID)
  @ApiOkResponse({ type: RecordResponseDto, headers: ETAG_HEADERS })
  @ApiErrorResponses(400, 404, 503)
  findOne(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Param('id', RECORD_ID_PIPE) id: string,
  ): Promise<RecordResponseDto> {
    return this.records.findOne(caller, id);
  }

  @Put('records/:id')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Replace a document', description: CONDITIONAL })
  @ApiParam(RECORD_ID)
  @ApiHeader(IF_MATCH)
  @ApiBody(DOCUMENT_BODY)
  @ApiOkResponse({ type: RecordResponseDto, headers: ETAG_HEADERS })
  @ApiErrorResponses(400, 404, 412, 413, 503)
  @UseInterceptors(RecordETagInterceptor)
  replace(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Param('id', RECORD_ID_PIPE) id: string,
    @Body() document: unknown,
    @IfMatch() ifMatch?: string,
  ): Promise<RecordResponseDto> {
    return this.records.replace(caller, id, document, ifMatch);
  }

  @Patch('records/:id')
  @Roles(...MANAGERS)
  @ApiOperation({
    summary: 'Change a document with a JSON merge patch (RFC 7396): null removes a field',
    description: CONDITIONAL,
  })
  @ApiParam(RECORD_ID)
  @ApiHeader(IF_MATCH)
  @UseInterceptors(RecordETagInterceptor)
  @ApiConsumes(MERGE_PATCH_MEDIA_TYPE, JSON_MEDIA_TYPE)
  @ApiBody({ ...DOCUMENT_BODY, description: 'A JSON merge patch' })
  @ApiOkResponse({ type: RecordResponseDto, headers: ETAG_HEADERS })
  @ApiErrorResponses(400, 404, 412, 413, 415, 503)
  patch(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Param('id', RECORD_ID_PIPE) id: string,
    @MergePatchBody() patch: unknown,
    @IfMatch() ifMatch?: string,
  ): Promise<RecordResponseDto> {
    return this.records.patch(caller, id, patch, ifMatch);
  }

  @Delete('records/:id')
  @Roles(...MANAGERS)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a document', description: CONDITIONAL })
  @ApiParam(RECORD_ID)
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(400, 404, 412, 503)
  remove(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @Param('id', RECORD_ID_PIPE) id: string,
    @IfMatch() ifMatch?: string,
  ): Promise<void> {
    return this.records.remove(caller, id, ifMatch);
  }

  @Get('export')
  @Roles(...ANY_MEMBER)
  @ApiOperation({
    summary: 'Every document as NDJSON of canonical Extended JSON, streamed',
    description:
      'Types survive (ObjectId, dates, 64-bit integers, decimals); POST /org/import takes it back.',
  })
  @ApiOkResponse({
    description: 'One document per line',
    content: { [NDJSON]: { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(503)
  async export(@CurrentAdmin() caller: AuthenticatedAdmin): Promise<StreamableFile> {
    return new StreamableFile(await this.records.export(caller), {
      type: NDJSON,
      disposition: 'attachment; filename="records.ndjson"',
    }).setErrorHandler(abortOnStreamError);
  }

  @Post('import')
  @Roles(...MANAGERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Store documents from NDJSON (as GET /org/export writes it), read in batches as it arrives',
  })
  @ApiConsumes(NDJSON)
  @ApiBody({ schema: { type: 'string' }, description: 'One Extended JSON document per line' })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiErrorResponses(415, 503)
  import(
    @CurrentAdmin() caller: AuthenticatedAdmin,
    @NdjsonBody() body: Readable,
  ): Promise<ImportResultDto> {
    return this.records.import(caller, body);
  }
}
