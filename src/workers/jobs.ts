// What a worker does, as plain functions of its messages: hold the registry (and its matcher), scan
// article files (answering from the scan cache when the content was scanned before), and analyse
// large open documents incrementally (one ScanCache per document). The pool runs this in worker
// threads, or in process when there is no worker bundle.
import fs from 'node:fs';
import path from 'node:path';
import { MAX_ANALYSED_LENGTH, refusalFor } from '../core/documentLimits';
import type { RegistryMatcher } from '../core/matcher';
import { scan, ScanCache } from '../core/scan';
import type { PackedHighlights } from '../core/highlights';
import { packScan } from '../core/packedScan';
import type { Registry } from '../core/types';
import { codeVersion, fileSize, pruneSiblings, sha1, writeRecord } from './diskCache';
import { decodeRecord, encodeRecord, recordOf } from './indexRecord';
import type { FromWorker, Skip, ToWorker } from './protocol';
import { CompiledRegistry, compileRegistry, sharedRegistry, writeCompiled } from './registryLoad';
import { diskState, readBytes, recordName, saveSnapshot, scanDir, scanGeneration, type DiskState } from './snapshot';

/** A UTF-16 code unit takes at most 3 bytes of UTF-8: a larger file cannot be within the limit. */
const MAX_FILE_BYTES = MAX_ANALYSED_LENGTH * 3;

export class WorkerJobs {
  private registry: Registry | null = null;
  /** The registry's matcher, viewing the compiled registry's shared bytes. */
  private matcher: RegistryMatcher | null = null;
  private registryVersion = '';
  private readonly documents = new Map<string, ScanCache>();

  constructor(private readonly post: (message: FromWorker) => void) {}

  handle(message: ToWorker): void {
    try {
      switch (message.kind) {
        case 'compileRegistry': {
          const bytes = compileRegistry(message.sources);
          const file = message.cacheFile;
          if (file) writeCompiled(file.dir, file.name, bytes);
          const inFile = message.answerInFile === true && file !== undefined && fileSize(path.join(file.dir, file.name)) === bytes.byteLength;
          return this.post({ kind: 'compiledRegistry', job: message.job, bytes: inFile ? new Uint8Array(0) : bytes, inFile });
        }
        case 'useRegistry':
          return this.useRegistry(message);
        case 'scanFile':
          return this.scanFile(message);
        case 'saveSnapshot':
          saveSnapshot(message.cacheDir, this.scanGeneration(), message.entries);
          return this.post({ kind: 'snapshotSaved', job: message.job });
        case 'analyse': {
          let cache = this.documents.get(message.document);
          if (!cache) this.documents.set(message.document, (cache = new ScanCache()));
          const onHighlights = (highlights: PackedHighlights): void => this.post({ kind: 'highlights', job: message.job, highlights });
          const result = scan(message.text, { registry: this.registry, matcher: this.matcher, cache, onHighlights });
          return this.post({ kind: 'analysed', job: message.job, result: packScan(result), registryVersion: this.registryVersion });
        }
        case 'forget':
          this.documents.delete(message.document);
          return;
      }
    } catch (e) {
      if ('job' in message) this.post({ kind: 'failed', job: message.job, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private useRegistry(message: Extract<ToWorker, { kind: 'useRegistry' }>): void {
    const { registry, matcher } = sharedRegistry(CompiledRegistry.open(message.bytes));
    this.registryVersion = registry.version;
    this.registry = matcher ? registry : null;
    this.matcher = matcher;
    if (message.cacheDir) pruneSiblings(path.join(message.cacheDir, 'scans'), this.scanGeneration());
  }

  /** Scans of one code version and registry version live in one folder; the others are pruned. */
  private scanGeneration(): string {
    return scanGeneration(codeVersion(), this.registryVersion);
  }

  private scanFile(message: Extract<ToWorker, { kind: 'scanFile' }>): void {
    const read = readArticle(message.path);
    if ('skip' in read) return this.post({ kind: 'skipped', job: message.job, skip: read.skip });
    const hash = sha1(read.text);
    const dir = message.cacheDir && scanDir(message.cacheDir, this.scanGeneration());
    const stored = dir ? readBytes(path.join(dir, recordName(hash))) : null;
    // A damaged record is not used: the file is scanned again, and the record written again.
    const cached = stored && decodeRecord(stored);
    if (cached && cached.hash === hash) return this.post({ kind: 'scanned', job: message.job, scan: cached, disk: read.disk, cached: true });
    const result = scan(read.text, { registry: this.registry, matcher: this.matcher });
    const scanned = recordOf(read.text, hash, this.registryVersion, result);
    if (dir) writeRecord(dir, recordName(hash), encodeRecord(scanned));
    this.post({ kind: 'scanned', job: message.job, scan: scanned, disk: read.disk, cached: false });
  }
}

/**
 * An article's text and its size and time (taken before reading: a later change shows as a new
 * time), or why it is not read: too large (known from its size, before reading) or not text.
 */
export function readArticle(file: string): { text: string; disk: DiskState } | { skip: Skip } {
  const disk = diskState(fs.statSync(file));
  const { size } = disk;
  if (size > MAX_FILE_BYTES) return { skip: { reason: 'too-large', size } };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
  } catch (e) {
    if (e instanceof TypeError) return { skip: { reason: 'not-text' } };
    throw e;
  }
  const refusal = refusalFor(text.length, text);
  if (!refusal) return { text, disk };
  return { skip: refusal.kind === 'too-large' ? { reason: 'too-large', size } : { reason: 'not-text' } };
}

