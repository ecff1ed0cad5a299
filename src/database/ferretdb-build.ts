import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';

const PROJECT_ROOT = resolve(__dirname, '..', '..');
const FERRETDB_SOURCE = join(PROJECT_ROOT, 'tools', 'ferretdb');
const SOURCES = ['main.go', 'go.mod', 'go.sum', 'patches.json'];
export const FERRETDB_BINARY = join(PROJECT_ROOT, '.cache', 'ferretdb', 'ferretdb');

/** A fix to an upstream file, applied to the vendored copy before the build. */
interface SourcePatch {
  file: string;
  find: string;
  replace: string;
}

/**
 * Builds the FerretDB wrapper when it is missing or older than its source. The modules are
 * vendored into a scratch folder so that `tools/ferretdb/patches.json` can fix upstream
 * defects (Go builds never read a changed file from the module cache); each patch must
 * still match, so a version bump that makes one obsolete fails loudly.
 */
export function buildFerretDb(): string {
  const newestSource = Math.max(
    ...SOURCES.map((file) => statSync(join(FERRETDB_SOURCE, file)).mtimeMs),
  );
  if (existsSync(FERRETDB_BINARY) && statSync(FERRETDB_BINARY).mtimeMs >= newestSource) {
    return FERRETDB_BINARY;
  }
  const scratch = `${FERRETDB_BINARY}.${process.pid}.build`;
  const partial = `${FERRETDB_BINARY}.${process.pid}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    for (const file of SOURCES) copyFileSync(join(FERRETDB_SOURCE, file), join(scratch, file));
    execFileSync('go', ['mod', 'vendor'], { cwd: scratch, stdio: 'inherit' });
    const patches = JSON.parse(
      readFileSync(join(scratch, 'patches.json'), 'utf8'),
    ) as SourcePatch[];
    for (const patch of patches) applyPatch(join(scratch, 'vendor', patch.file), patch);
    execFileSync('go', ['build', '-buildvcs=false', '-mod=vendor', '-o', partial, '.'], {
      cwd: scratch,
      stdio: 'inherit',
    });
    renameSync(partial, FERRETDB_BINARY);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return FERRETDB_BINARY;
}

function applyPatch(path: string, { file, find, replace }: SourcePatch): void {
  const source = readFileSync(path, 'utf8');
  if (!source.includes(find)) throw new Error(`FerretDB patch no longer applies to ${file}`);
  writeFileSync(path, source.replace(find, replace));
}
