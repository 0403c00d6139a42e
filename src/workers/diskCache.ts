// Small, silent on-disk caches (compiled registries, scanned articles). A cache that cannot be read
// or written is simply not used: every caller can always compute the value instead. Records are
// named by a hash of what they were computed from, so a record is never stale, only unused.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The hash of a text, or of a list of texts (as if joined by U+0001, without building the joined string). */
export function sha1(text: string | readonly (string | number)[]): string {
  const hash = createHash('sha1');
  if (typeof text === 'string') return hash.update(text).digest('hex');
  text.forEach((part, i) => {
    if (i > 0) hash.update('\u0001');
    hash.update(String(part));
  });
  return hash.digest('hex');
}

const codeVersions = new Map<string, string>();

/**
 * A hash of the running code (the bundle this module is part of, or the named one): records written
 * by another build of the scanner or the registry parser are never read back.
 */
export function codeVersion(file = __filename): string {
  let code = codeVersions.get(file);
  if (code === undefined) {
    try {
      code = sha1(fs.readFileSync(file, 'latin1')).slice(0, 12);
    } catch {
      code = 'unknown';
    }
    codeVersions.set(file, code);
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

/** A file's size in bytes, or null when it cannot be stat'ed (absent, unreadable). */
export function fileSize(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

/** Writes through a temporary file and a rename, so a reader never sees half a record. */
export function writeRecord(dir: string, name: string, content: string | Uint8Array): void {
  writeRecordThrough(dir, name, (write) => write(typeof content === 'string' ? Buffer.from(content) : content));
}

/**
 * Writes a record in pieces (`fill` calls `write` for each), through a temporary file and a rename:
 * a reader never sees half a record, and when `fill` throws nothing is written.
 */
export function writeRecordThrough(dir: string, name: string, fill: (write: (bytes: Uint8Array) => void) => void): void {
  const file = path.join(dir, name);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(tmp, 'w');
    try {
      fill((bytes) => {
        for (let done = 0; done < bytes.byteLength; ) done += fs.writeSync(fd, bytes, done, bytes.byteLength - done);
      });
    } finally {
      fs.closeSync(fd);
    }
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

/** Keeps the `keep` most recently written entries of `dir` (always `current` among them) and removes the rest. */
export function pruneOldest(dir: string, keep: number, current: string): void {
  try {
    const entries = fs.readdirSync(dir).filter((e) => e !== current && !e.endsWith('.tmp'));
    const mtime = (e: string): number => {
      try {
        return fs.statSync(path.join(dir, e)).mtimeMs;
      } catch {
        return 0;
      }
    };
    const older = entries.map((e) => ({ e, t: mtime(e) })).sort((a, b) => b.t - a.t).slice(keep - 1);
    for (const { e } of older) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
  } catch {
    // Nothing to prune, or not ours to prune.
  }
}
