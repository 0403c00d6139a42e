// What a worker does, as plain functions of its messages: hold the registry (and its matcher), scan
// article files (answering from the scan cache when the content was scanned before), and analyse
// large open documents incrementally (one ScanCache per document). The pool runs this in worker
// threads, or in process when there is no worker bundle.
import fs from 'node:fs';
import path from 'node:path';
import { MAX_ANALYSED_LENGTH, refusalFor } from '../core/documentLimits';
import { lineStarts } from '../core/positions';
import { scan, ScanCache } from '../core/scan';
import type { DocEntity, Mention, Registry } from '../core/types';
import { codeVersion, pruneSiblings, readRecord, sha1, writeRecord } from './diskCache';
import type { FileScan, FromWorker, Skip, ToWorker } from './protocol';
import { loadRegistryFiles } from './registryLoad';

const SCAN_FORMAT = 1;
/** Entities per message when the registry is sent to the host. */
const ENTITY_SLICE = 5_000;
/** A UTF-16 code unit takes at most 3 bytes of UTF-8: a larger file cannot be within the limit. */
const MAX_FILE_BYTES = MAX_ANALYSED_LENGTH * 3;

/** A scan as cached: entities refer to their mentions by index instead of repeating them. */
interface StoredScan extends Omit<FileScan, 'entities'> {
  entities: (Omit<DocEntity, 'mentions'> & { mentions: (number | Mention)[] })[];
}

export class WorkerJobs {
  private registry: Registry | null = null;
  private registryVersion = '';
  private readonly documents = new Map<string, ScanCache>();

  constructor(private readonly post: (message: FromWorker) => void) {}

  handle(message: ToWorker): void {
    try {
      switch (message.kind) {
        case 'registry':
          return this.setRegistry(message);
        case 'scanFile':
          return this.scanFile(message);
        case 'analyse': {
          let cache = this.documents.get(message.document);
          if (!cache) this.documents.set(message.document, (cache = new ScanCache()));
          const result = scan(message.text, { registry: this.registry, cache });
          return this.post({ kind: 'analysed', job: message.job, result, registryVersion: this.registryVersion });
        }
        case 'forget':
          this.documents.delete(message.document);
          return;
      }
    } catch (e) {
      if ('job' in message) this.post({ kind: 'failed', job: message.job, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private setRegistry(message: Extract<ToWorker, { kind: 'registry' }>): void {
    const loaded = loadRegistryFiles(message.sources, message.cacheDir && path.join(message.cacheDir, 'registry'));
    const { registry } = loaded;
    this.registryVersion = registry.version;
    this.registry = registry.entities.length > 0 ? registry : null;
    if (message.reply) {
      for (let i = 0; i < registry.entities.length; i += ENTITY_SLICE) {
        this.post({ kind: 'registryEntities', job: message.job, entities: registry.entities.slice(i, i + ENTITY_SLICE) });
      }
    }
    this.post({
      kind: 'registry',
      job: message.job,
      loaded: {
        version: registry.version,
        files: message.reply ? loaded.files : [],
        crossFile: message.reply ? loaded.crossFile : [],
        problems: message.reply ? registry.problems : [],
        cached: loaded.cached,
      },
    });
    // The matcher (seconds for a large registry) is built by the first scan that needs it: scans answered from the cache never wait for it.
    if (message.reply && message.cacheDir) pruneSiblings(path.join(message.cacheDir, 'scans'), this.scanGeneration());
  }

  /** Scans of one code version and registry version live in one folder; the others are pruned. */
  private scanGeneration(): string {
    return `${SCAN_FORMAT}-${codeVersion()}-${this.registryVersion}`;
  }

  private scanFile(message: Extract<ToWorker, { kind: 'scanFile' }>): void {
    const read = readArticle(message.path);
    if ('skip' in read) return this.post({ kind: 'skipped', job: message.job, skip: read.skip });
    const hash = sha1(read.text);
    const dir = message.cacheDir && path.join(message.cacheDir, 'scans', this.scanGeneration());
    const stored = dir ? readRecord(dir, `${hash}.json`) : null;
    if (stored !== null) {
      try {
        return this.post({ kind: 'scanned', job: message.job, scan: unpack(JSON.parse(stored) as StoredScan), cached: true });
      } catch {
        // A damaged record: scan again, and write it again.
      }
    }
    const result = scan(read.text, { registry: this.registry });
    const scanned: FileScan = {
      hash,
      registryVersion: this.registryVersion,
      date: result.date,
      mentions: result.mentions,
      entities: result.entities,
      commitments: result.commitments,
      lines: lineStarts(read.text),
    };
    if (dir) writeRecord(dir, `${hash}.json`, JSON.stringify(pack(scanned)));
    this.post({ kind: 'scanned', job: message.job, scan: scanned, cached: false });
  }
}

/** An article's text, or why it is not read: too large (known from its size, before reading) or not text. */
export function readArticle(file: string): { text: string } | { skip: Skip } {
  const size = fs.statSync(file).size;
  if (size > MAX_FILE_BYTES) return { skip: { reason: 'too-large', size } };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
  } catch (e) {
    if (e instanceof TypeError) return { skip: { reason: 'not-text' } };
    throw e;
  }
  const refusal = refusalFor(text.length, text);
  if (!refusal) return { text };
  return { skip: refusal.kind === 'too-large' ? { reason: 'too-large', size } : { reason: 'not-text' } };
}

function pack(scanned: FileScan): StoredScan {
  const index = new Map(scanned.mentions.map((m, i) => [m, i]));
  return { ...scanned, entities: scanned.entities.map((e) => ({ ...e, mentions: e.mentions.map((m) => index.get(m) ?? m) })) };
}

function unpack(stored: StoredScan): FileScan {
  const { mentions } = stored;
  return { ...stored, entities: stored.entities.map((e) => ({ ...e, mentions: e.mentions.map((m) => (typeof m === 'number' ? mentions[m] : m)) })) };
}
