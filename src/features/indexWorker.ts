// Scans articles off the extension host's main thread (a worker thread, bundled to dist/indexWorker.js).
// The host sends the registry's source texts once per registry version and then file paths; the
// worker reads, hashes and scans each file and answers with plain data. It holds no vscode API.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { mergeRegistries, parseRegistry } from '../core/registry';
import { scan } from '../core/scan';
import type { Commitment, DocEntity, Mention, Registry } from '../core/types';

export interface RegistrySource {
  file: string;
  text: string;
}

export type WorkerRequest = { kind: 'registry'; sources: RegistrySource[] } | { kind: 'scan'; id: number; path: string };

/** One scanned article, as the index keeps it. */
export interface ScannedFile {
  hash: string;
  date: string | null;
  mentions: Mention[];
  entities: DocEntity[];
  commitments: Commitment[];
  /** Offsets at which each line starts. */
  lines: number[];
}

export type WorkerReply = { id: number; scanned: ScannedFile } | { id: number; error: string };

/** Marks a worker started by the index (so importing this module elsewhere starts nothing). */
export const WORKER_MARK = 'attache-index-worker';

export const hashText = (text: string): string => createHash('sha1').update(text).digest('hex');

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function registryFrom(sources: readonly RegistrySource[]): Registry {
  return mergeRegistries(sources.map((s) => parseRegistry(s.text, s.file)));
}

export function scanText(text: string, registry: Registry | null): ScannedFile {
  const result = scan(text, { registry: registry && registry.entities.length > 0 ? registry : null });
  return { hash: hashText(text), date: result.date, mentions: result.mentions, entities: result.entities, commitments: result.commitments, lines: lineStarts(text) };
}

if (parentPort && workerData === WORKER_MARK) {
  const port = parentPort;
  let registry: Registry | null = null;
  port.on('message', async (request: WorkerRequest) => {
    if (request.kind === 'registry') {
      registry = registryFrom(request.sources);
      return;
    }
    try {
      // Not UTF-8 means not an article: the fatal decoder throws and the host skips the file.
      const text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(request.path));
      port.postMessage({ id: request.id, scanned: scanText(text, registry) } satisfies WorkerReply);
    } catch (e) {
      port.postMessage({ id: request.id, error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
    }
  });
}
