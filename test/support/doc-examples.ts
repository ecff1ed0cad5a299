/**
 * The request examples of the documentation, and what each one is documented to answer.
 *
 * An example is a fenced `sh` block that runs `curl`. The fenced block right after it, if
 * it is an `http` or a `text` block, is its documented answer:
 * - `http`: a status line, optionally some headers, a blank line and the body, as
 *   `curl -si` prints them; the last response the example printed must have that status,
 *   those headers and that body (JSON or NDJSON compared as values).
 * - `text`: exactly the lines the example prints.
 * In both, `…` stands for any value: a JSON string `"…"` matches any value, a string
 * ending in `…` any string with that start, and `…` inside a text line any characters.
 * An example without a documented answer must succeed and get no 4xx or 5xx.
 */
export interface DocExample {
  file: string;
  line: number;
  script: string;
  expected?: { kind: 'http' | 'text'; text: string };
}

interface Block {
  info: string;
  line: number;
  body: string;
  /** Only blank lines since the previous block ended. */
  adjacent: boolean;
}

const FENCE = /^\s*```(\S*)\s*$/;

function blocksOf(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let open: { info: string; line: number; indent: number; body: string[] } | undefined;
  let adjacent = false;
  lines.forEach((text, index) => {
    const fence = FENCE.exec(text);
    if (open) {
      if (fence && fence[1] === '') {
        blocks.push({ info: open.info, line: open.line, body: open.body.join('\n'), adjacent });
        open = undefined;
        adjacent = true;
      } else {
        open.body.push(text.slice(Math.min(open.indent, text.search(/\S|$/))));
      }
    } else if (fence) {
      open = { info: fence[1], line: index + 1, indent: text.search(/\S/), body: [] };
    } else if (text.trim() !== '') {
      adjacent = false;
    }
  });
  return blocks;
}

export function docExamples(file: string, markdown: string): DocExample[] {
  const blocks = blocksOf(markdown);
  return blocks.flatMap((block, index) => {
    if (!['sh', 'bash'].includes(block.info) || !/^\s*curl\s/m.test(block.body)) return [];
    const next = blocks[index + 1];
    const expected: DocExample['expected'] =
      next?.adjacent && (next.info === 'http' || next.info === 'text')
        ? { kind: next.info, text: next.body }
        : undefined;
    return [{ file, line: block.line, script: block.body, expected }];
  });
}

const ANY = '…';

const anyValue = {
  asymmetricMatch: () => true,
  toAsymmetricMatcher: () => ANY,
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The documented value as a Jest matcher: `…` matches anything, `abc…` strings starting so. */
export function documented(value: unknown): unknown {
  if (value === ANY) return anyValue;
  if (typeof value === 'string' && value.endsWith(ANY)) {
    return expect.stringMatching(new RegExp(`^${escapeRegExp(value.slice(0, -1))}`));
  }
  if (Array.isArray(value)) return value.map(documented);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, documented(item)]));
  }
  return value;
}

/** A documented text line as a matcher: `…` matches any characters. */
export function documentedLine(line: string): unknown {
  const pattern = line.split(ANY).map(escapeRegExp).join('.*');
  return expect.stringMatching(new RegExp(`^${pattern}$`));
}

export interface HttpResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** The last response in what `curl -si` printed (each call prints one). */
export function lastResponse(output: string): HttpResponse | undefined {
  const starts = [...output.matchAll(/^HTTP\/[\d.]+ (\d{3})[^\n]*$/gm)];
  const last = starts.at(-1);
  if (!last) return undefined;
  const rest = output.slice(last.index).replace(/\r\n/g, '\n');
  const split = rest.indexOf('\n\n');
  const head = split === -1 ? rest : rest.slice(0, split);
  const body = split === -1 ? '' : rest.slice(split + 2);
  return { status: Number(last[1]), headers: parseHeaders(head), body };
}

/** The documented answer of an `http` block. */
export function parseHttpBlock(text: string): HttpResponse {
  const [head, ...body] = text.split('\n\n');
  const status = /^HTTP\/[\d.]+ (\d{3})/.exec(head);
  if (!status) throw new Error(`an http block must start with a status line: ${head}`);
  return { status: Number(status[1]), headers: parseHeaders(head), body: body.join('\n\n') };
}

function parseHeaders(head: string): Map<string, string> {
  return new Map(
    head
      .split('\n')
      .slice(1)
      .map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }),
  );
}

/** A body as JSON values: one JSON document, or NDJSON's lines; undefined when it is neither. */
export function bodyValues(body: string): unknown[] | undefined {
  const text = body.trim();
  if (text === '') return [];
  try {
    return [JSON.parse(text) as unknown];
  } catch {
    try {
      return text.split('\n').map((line) => JSON.parse(line) as unknown);
    } catch {
      return undefined;
    }
  }
}
