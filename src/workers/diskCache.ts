// Small, silent on-disk caches (compiled registries, scanned articles). A cache that cannot be read
// or written is simply not used: every caller can always compute the value instead. Records are
// named by a hash of what they were computed from, so a record is never stale, only unused.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

let code: string | undefined;

/**
 * A hash of the running code (the bundle this module is part of): records written by another build
 * of the scanner or the registry parser are never read back.
 */
export function codeVersion(): string {
  if (code === undefined) {
    try {
      code = sha1(fs.readFileSync(__filename, 'latin1')).slice(0, 12);
    } catch {
      code = 'unknown';
    }
  }
  return code;
}

/** The CLI's cache: `$XDG_CACHE_HOME/attache`, else `~/.cache/attache`. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'attache');
}

export function readRecord(dir: string, name: string): string | null {
  try {
    return fs.readFileSync(path.join(dir, name), 'utf8');
  } catch {
    return null;
  }
}

/** Writes through a temporary file and a rename, so a reader never sees half a record. */
export function writeRecord(dir: string, name: string, content: string): void {
  const file = path.join(dir, name);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The folder is not there or not ours: nothing was written.
    }
  }
}

/** Removes the entries of `dir` other than `keep` (older generations of a cache). */
export function pruneSiblings(dir: string, keep: string): void {
  try {
    for (const entry of fs.readdirSync(dir)) if (entry !== keep) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  } catch {
    // Nothing to prune, or not ours to prune.
  }
}
