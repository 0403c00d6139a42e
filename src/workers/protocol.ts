// Messages between the worker pool and its workers. Everything is plain data (structured clone), but
// for the compiled registry, whose bytes sit on a SharedArrayBuffer that every thread views in place:
// workers hold the registry and its matcher, scan files and large open documents, and keep caches.
import type { PackedHighlights } from '../core/highlights';
import type { PackedScan } from '../core/packedScan';
import type { Problem } from '../core/types';
import type { FileScan } from './indexRecord';
import type { DiskState, SnapshotEntry } from './snapshot';

export type { FileScan } from './indexRecord';

/** One registry file as the editor has it: its text now, and the last text that parsed (used when this one does not). */
export interface RegistrySource {
  file: string;
  text: string;
  lastGood?: string;
}

/** How one registry file fared: its own problems, and which text is in force. */
export interface RegistryFileState {
  file: string;
  problems: Problem[];
  /** `current`: its text parsed; `last-good`: it did not, the last good text is in force; `none`: neither. */
  used: 'current' | 'last-good' | 'none';
}

export type Skip = { reason: 'too-large'; size: number } | { reason: 'not-text' };

export type ToWorker =
  /**
   * Parse the sources and build the matcher; answered with the compiled registry, written to
   * `cacheFile` if given (with `answerInFile`, the answer leaves the bytes there when they were written).
   */
  | { kind: 'compileRegistry'; job: number; sources: RegistrySource[]; cacheFile?: { dir: string; name: string }; answerInFile?: boolean }
  /** Hold this compiled registry (shared bytes: see registryLoad.ts) from now on; `cacheDir` when this worker prunes old scans. */
  | { kind: 'useRegistry'; bytes: Uint8Array; cacheDir?: string }
  | { kind: 'scanFile'; job: number; path: string; cacheDir?: string }
  | { kind: 'saveSnapshot'; job: number; cacheDir: string; entries: SnapshotEntry[] }
  | { kind: 'analyse'; job: number; document: string; text: string }
  | { kind: 'forget'; document: string };

export type FromWorker =
  /** `inFile`: the bytes are not in the message but in the cache file asked for. */
  | { kind: 'compiledRegistry'; job: number; bytes: Uint8Array; inFile?: boolean }
  | { kind: 'scanned'; job: number; scan: FileScan; disk: DiskState; cached: boolean }
  | { kind: 'snapshotSaved'; job: number }
  | { kind: 'skipped'; job: number; skip: Skip }
  /** An analysis's highlights, sent as soon as its mentions are known (before its 'analysed' answer). */
  | { kind: 'highlights'; job: number; highlights: PackedHighlights }
  /** The whole analysis, packed: the host has the text it was made of (see packedScan.ts). */
  | { kind: 'analysed'; job: number; result: PackedScan; registryVersion: string }
  | { kind: 'failed'; job: number; message: string };
