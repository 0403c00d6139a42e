// Messages between the worker pool and its workers. Everything is plain data (structured clone):
// workers hold the registry and its matcher, scan files and large open documents, and keep caches.
import type { Commitment, DocEntity, Mention, Problem, RegistryEntity, ScanResult } from '../core/types';

/** One registry file as the editor has it: its text now, and the last text that parsed (used when this one does not). */
export interface RegistrySource {
  file: string;
  text: string;
  lastGood?: string;
}

/** What the index keeps of one scanned file (also the persistent cache's record, by content hash). */
export interface FileScan {
  hash: string;
  /** The registry version the file was scanned with. */
  registryVersion: string;
  date: string | null;
  mentions: Mention[];
  entities: DocEntity[];
  commitments: Commitment[];
  /** Offsets at which lines start, for offset → line/column once the text is gone. */
  lines: number[];
}

/** How one registry file fared: its own problems, and which text is in force. */
export interface RegistryFileState {
  file: string;
  problems: Problem[];
  /** `current`: its text parsed; `last-good`: it did not, the last good text is in force; `none`: neither. */
  used: 'current' | 'last-good' | 'none';
}

/** The merged registry in parts: entities arrive in slices so no single message is costly to receive. */
export interface RegistryLoaded {
  version: string;
  files: RegistryFileState[];
  /** Problems only visible across files (duplicate ids, names shared between files). */
  crossFile: Problem[];
  problems: Problem[];
  /** Whether the compiled cache answered. */
  cached: boolean;
}

export type Skip = { reason: 'too-large'; size: number } | { reason: 'not-text' };

export type ToWorker =
  | { kind: 'registry'; job: number; sources: RegistrySource[]; cacheDir?: string; reply: boolean }
  | { kind: 'scanFile'; job: number; path: string; cacheDir?: string }
  | { kind: 'analyse'; job: number; document: string; text: string }
  | { kind: 'forget'; document: string };

export type FromWorker =
  | { kind: 'registryEntities'; job: number; entities: RegistryEntity[] }
  | { kind: 'registry'; job: number; loaded: RegistryLoaded }
  | { kind: 'scanned'; job: number; scan: FileScan; cached: boolean }
  | { kind: 'skipped'; job: number; skip: Skip }
  | { kind: 'analysed'; job: number; result: ScanResult; registryVersion: string }
  | { kind: 'failed'; job: number; message: string };
