// File input for the CLI: clear errors for missing, huge, binary or non-UTF-8 files.
import fs from 'node:fs';
import path from 'node:path';
import type { RegistryMatcher } from '../core/matcher';
import { isFatalRegistryProblem } from '../core/registry';
import { LineIndex } from '../core/positions';
import type { Problem, Registry } from '../core/types';
import { userCacheDir } from '../workers/diskCache';
import { loadRegistryFiles } from '../workers/registryLoad';

/** An error meant for the user: printed as one line, never with a stack. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export function readTextFile(file: string): string {
  let buf: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new CliError(`${file}: is a directory, expected a file`);
    if (stat.size > MAX_FILE_BYTES) throw new CliError(`${file}: file is ${stat.size} bytes, larger than the ${MAX_FILE_BYTES}-byte limit`);
    buf = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${file}: no such file`);
    if (code === 'EACCES') throw new CliError(`${file}: permission denied`);
    throw new CliError(`${file}: cannot read (${(e as Error).message})`);
  }
  const binaryAt = binaryOffset(buf);
  if (binaryAt >= 0) throw new CliError(`${file}: looks like binary data (control bytes near byte ${binaryAt}), expected a UTF-8 text file`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    const loose = new TextDecoder('utf-8').decode(buf);
    const at = loose.indexOf('\uFFFD');
    const pos = new LineIndex(loose).positionAt(Math.max(0, at));
    throw new CliError(`${file}:${pos.line}:${pos.column}: invalid UTF-8 byte sequence, expected a UTF-8 text file`);
  }
}

/** Offset of the first sign of binary content, or -1: many control bytes in the first 64 KiB. */
function binaryOffset(buf: Buffer): number {
  const n = Math.min(buf.length, 65536);
  let control = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) {
      control++;
      if (first < 0) first = i;
    }
  }
  return control > 8 && control > n / 100 ? first : -1;
}

export function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.start.line}:${p.start.column}: ${p.severity}: ${p.message} [${p.rule}]`;
}

/**
 * Loads and merges registry files. Syntax and shape errors stop the run; entry problems are warned
 * about. The compiled registry is cached (`cacheDir`, by default the user's cache folder) by a hash of
 * the files' contents, so a large registry is parsed and its matcher built once; an unwritable cache is
 * simply not used.
 */
export function loadRegistry(files: string[], warn: (line: string) => void, cacheDir = path.join(userCacheDir(), 'registry')): { registry: Registry; matcher: RegistryMatcher | null } {
  const loaded = loadRegistryFiles(files.map((file) => ({ file, text: readTextFile(file) })), cacheDir);
  for (const state of loaded.files) {
    const fatal = state.problems.filter(isFatalRegistryProblem);
    if (fatal.length > 0) throw new CliError(fatal.map((p) => formatProblem(state.file, p)).join('\n'));
  }
  for (const p of loaded.registry.problems) warn(formatProblem(p.file ?? files[0], p));
  return { registry: loaded.registry, matcher: loaded.matcher };
}

/** The workspace registry: `.attache/registry.yaml` in the file's folder or the nearest one above it. */
export function findWorkspaceRegistry(file: string): string | null {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    const candidate = path.join(dir, '.attache', 'registry.yaml');
    if (fs.existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Writes a file atomically: a temporary file beside it, then a rename. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}
