import { mongo } from 'mongoose';
import type { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { nestsDeeperThan } from '../common/json-depth';
import { ImportProblemDto, ImportResultDto } from './dto/import-result.dto';
import { insertRecords, type InsertOutcome } from './insert-records';
import { checkRecord, type RecordLimits } from './record-rules';

const { EJSON } = mongo.BSON;
const BATCH_RECORDS = 500;
const MAX_PROBLEMS_REPORTED = 100;
/** Extended JSON spells types out, so a line may be several times its document's size. */
const LINE_BYTES_PER_RECORD_BYTE = 4;
/** Extended JSON wraps some values in objects of its own (`{"$date":{"$numberLong":…}}`). */
const EXTENDED_JSON_EXTRA_DEPTH = 3;

export interface ImportLimits extends RecordLimits {
  /** Bytes of NDJSON held before they are written as one batch. */
  batchBytes: number;
  /** Refused lines (empty ones included) after which the import stops reading. */
  maxRefused: number;
}

interface ImportOptions {
  limits: ImportLimits;
  /** Writes one batch; called once per batch, so each batch goes to the current location. */
  insert: (
    write: (collection: mongo.Collection) => Promise<InsertOutcome>,
  ) => Promise<InsertOutcome>;
}

interface PendingLine {
  line: number;
  document: Record<string, unknown>;
}

/**
 * Reads NDJSON of canonical or relaxed Extended JSON (what `GET /org/export` writes) and
 * inserts it in batches as it arrives. Memory stays bounded by one batch (in records and
 * in bytes) plus one line, whatever the body's size; the reading yields to the event loop
 * after every chunk, so a flood of tiny or empty lines cannot hold it. Documents keep
 * their `_id`, timestamps, field order and BSON types.
 */
export async function importNdjson(
  body: Readable,
  options: ImportOptions,
): Promise<ImportResultDto> {
  const { limits } = options;
  const maxLineBytes = limits.maxBytes * LINE_BYTES_PER_RECORD_BYTE;
  const result: ImportResultDto = { imported: 0, refused: 0, problems: [], stopped_at_line: null };
  const refuse = (problem: ImportProblemDto) => {
    result.refused += 1;
    if (result.problems.length < MAX_PROBLEMS_REPORTED) result.problems.push(problem);
  };
  let batch: PendingLine[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const pending = batch;
    batch = [];
    batchBytes = 0;
    const outcome = await options.insert((collection) =>
      insertRecords(
        collection,
        pending.map(({ document }) => document),
      ),
    );
    result.imported += outcome.stored.size;
    for (const [index, message] of outcome.refused) refuse({ line: pending[index].line, message });
  };

  let line = 0;
  for await (const chunkLines of lines(body, maxLineBytes)) {
    for (const text of chunkLines) {
      line += 1;
      const parsed = parseLine(text, limits, maxLineBytes);
      if (typeof parsed === 'string') {
        refuse({ line, message: parsed });
        if (result.refused > limits.maxRefused) {
          result.stopped_at_line = line;
          await flush();
          return byLine(result);
        }
        continue;
      }
      batch.push({ line, document: parsed });
      batchBytes += text?.length ?? 0;
      if (batch.length >= BATCH_RECORDS || batchBytes >= limits.batchBytes) await flush();
    }
    await yieldToEventLoop();
  }
  await flush();
  return byLine(result);
}

/** Problems in line order: refusals by the database are learned a batch later. */
function byLine(result: ImportResultDto): ImportResultDto {
  result.problems.sort((a, b) => a.line - b.line);
  return result;
}

function parseLine(
  text: string | undefined,
  limits: RecordLimits,
  maxLineBytes: number,
): Record<string, unknown> | string {
  if (text === undefined) return `line is longer than ${maxLineBytes} bytes`;
  if (text.trim() === '') return 'empty line';
  if (nestsDeeperThan(text, limits.maxDepth + EXTENDED_JSON_EXTRA_DEPTH)) {
    return `a record may nest objects and arrays at most ${limits.maxDepth} levels deep`;
  }
  let document: unknown;
  try {
    document = EJSON.parse(text, { relaxed: false });
  } catch {
    return 'not valid Extended JSON';
  }
  const problems = checkRecord(document, limits, 'allow');
  return problems.length > 0 ? problems.join('; ') : (document as Record<string, unknown>);
}

/**
 * Splits the body into lines, a chunk's worth at a time, holding at most one line of
 * `maxLineBytes`; a longer line is skipped and given as `undefined`.
 */
async function* lines(
  body: Readable,
  maxLineBytes: number,
): AsyncGenerator<(string | undefined)[]> {
  body.setEncoding('utf8');
  let partial = '';
  let skipping = false;
  // Not destroyed when reading stops early: the answer still goes out on its socket.
  for await (const chunk of body.iterator({ destroyOnReturn: false })) {
    const text = partial + (chunk as string);
    const complete: (string | undefined)[] = [];
    let start = 0;
    let newline: number;
    while ((newline = text.indexOf('\n', start)) >= 0) {
      complete.push(skipping ? undefined : text.slice(start, newline));
      skipping = false;
      start = newline + 1;
    }
    partial = skipping ? '' : text.slice(start);
    if (!skipping && Buffer.byteLength(partial) > maxLineBytes) {
      skipping = true;
      partial = '';
    }
    yield complete;
  }
  if (skipping) yield [undefined];
  else if (partial !== '') yield [partial];
}
