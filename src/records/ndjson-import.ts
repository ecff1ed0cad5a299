import { mongo } from 'mongoose';
import type { Readable } from 'node:stream';
import { ImportProblemDto, ImportResultDto } from './dto/import-result.dto';
import { insertRecords } from './insert-records';
import { checkRecord, type RecordLimits } from './record-rules';

const { EJSON } = mongo.BSON;
const BATCH_SIZE = 500;
const MAX_PROBLEMS_REPORTED = 100;
/** Extended JSON spells types out, so a line may be several times its document's size. */
const LINE_BYTES_PER_RECORD_BYTE = 4;

interface ImportOptions {
  limits: RecordLimits;
  /** Re-resolved for every batch, so an import never writes through a stale binding. */
  collection: () => Promise<mongo.Collection>;
}

interface PendingLine {
  line: number;
  document: Record<string, unknown>;
}

/**
 * Reads NDJSON of canonical or relaxed Extended JSON (what `GET /org/export` writes) and
 * inserts it in batches as it arrives, so memory stays bounded by one batch whatever the
 * body's size. Documents keep their `_id`, timestamps and BSON types.
 */
export async function importNdjson(
  body: Readable,
  options: ImportOptions,
): Promise<ImportResultDto> {
  const maxLineBytes = options.limits.maxBytes * LINE_BYTES_PER_RECORD_BYTE;
  const result: ImportResultDto = { imported: 0, refused: 0, problems: [] };
  const refuse = (problem: ImportProblemDto) => {
    result.refused += 1;
    if (result.problems.length < MAX_PROBLEMS_REPORTED) result.problems.push(problem);
  };
  let batch: PendingLine[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const pending = batch;
    batch = [];
    await insertBatch(await options.collection(), pending, result, refuse);
  };

  let line = 0;
  for await (const text of lines(body, maxLineBytes)) {
    line += 1;
    if (text === undefined) {
      refuse({ line, message: `line is longer than ${maxLineBytes} bytes` });
      continue;
    }
    if (text.trim() === '') continue;
    const parsed = parseLine(text, options.limits);
    if (typeof parsed === 'string') refuse({ line, message: parsed });
    else batch.push({ line, document: parsed });
    if (batch.length >= BATCH_SIZE) await flush();
  }
  await flush();
  return result;
}

function parseLine(text: string, limits: RecordLimits): Record<string, unknown> | string {
  let document: unknown;
  try {
    document = EJSON.parse(text, { relaxed: false });
  } catch {
    return 'not valid Extended JSON';
  }
  const problems = checkRecord(document, limits, 'allow');
  return problems.length > 0 ? problems.join('; ') : (document as Record<string, unknown>);
}

async function insertBatch(
  collection: mongo.Collection,
  pending: PendingLine[],
  result: ImportResultDto,
  refuse: (problem: ImportProblemDto) => void,
): Promise<void> {
  const outcome = await insertRecords(
    collection,
    pending.map(({ document }) => document),
  );
  result.imported += outcome.stored.size;
  for (const [index, message] of outcome.refused) refuse({ line: pending[index].line, message });
}

/**
 * Splits the body into lines, holding at most one line of `maxLineBytes`; a longer line
 * is skipped and yielded as `undefined`.
 */
async function* lines(body: Readable, maxLineBytes: number): AsyncGenerator<string | undefined> {
  body.setEncoding('utf8');
  let partial = '';
  let skipping = false;
  for await (const chunk of body) {
    partial += chunk as string;
    let newline: number;
    while ((newline = partial.indexOf('\n')) >= 0) {
      yield skipping ? undefined : partial.slice(0, newline);
      skipping = false;
      partial = partial.slice(newline + 1);
    }
    if (!skipping && Buffer.byteLength(partial) > maxLineBytes) {
      skipping = true;
    }
    if (skipping) partial = '';
  }
  if (skipping) yield undefined;
  else if (partial !== '') yield partial;
}
