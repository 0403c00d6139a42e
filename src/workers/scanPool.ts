// The pool of workers everything heavy runs in: registry loading, article scans for the workspace
// index, and analysis of large open documents. min(2, cores) worker threads; without a worker bundle
// (unit tests, a broken install) the same jobs run in process, one per turn of the event loop.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PackedHighlights } from '../core/highlights';
import type { PackedScan } from '../core/packedScan';
import { codeVersion } from './diskCache';
import { WorkerJobs } from './jobs';
import type { FileScan, FromWorker, RegistrySource, Skip, ToWorker } from './protocol';
import { decodeRecord } from './indexRecord';
import { openSnapshot, recordName, scanDir, scanGeneration, type DiskState, type SnapshotEntry, type SnapshotFound } from './snapshot';
import { compiledName, hostRegistry, readCompiledShared, type CompiledRegistry, type HostRegistry, type LoadedRegistry } from './registryLoad';

export type ScanOutcome = { kind: 'scanned'; scan: FileScan; disk: DiskState; cached: boolean } | { kind: 'skipped'; skip: Skip } | { kind: 'failed'; message: string };

/** Jobs sent to one worker at a time: enough to hide message latency, few enough that urgent jobs are not stuck behind many. */
const IN_FLIGHT = 2;

/**
 * How long a worker with nothing to do keeps running. An idle worker costs its whole heap (caches,
 * matcher views, V8's slack): after indexing it is stopped, and started again by the next job (it
 * views the shared registry bytes, so that is cheap).
 */
const IDLE_MS = 30_000;
/**
 * How long a worker holding open documents' analysis caches keeps running when idle: longer, as the
 * next analysis of a document after it stops is a cold scan (its cache is rebuilt), not incremental.
 */
const DOCUMENT_IDLE_MS = 300_000;

/** A worker, started by its first message; until then it keeps only the latest registry to send it first. */
interface Executor {
  post(message: ToWorker): void;
  readonly running: boolean;
  terminate(): Promise<unknown>;
}

type Job = Exclude<ToWorker, { kind: 'forget' } | { kind: 'useRegistry' }>;

interface Slot {
  executor: Executor;
  inFlight: number;
  /** Jobs only this worker can run (a document's analysis stays with the worker holding its cache). */
  own: Job[];
  /** True while a new registry loads: it takes no jobs. */
  paused: boolean;
  /** Open documents whose analysis cache this worker holds: it waits longer before it stops (see DOCUMENT_IDLE_MS). */
  documents: Set<string>;
  idleTimer?: ReturnType<typeof setTimeout>;
}

interface Pending {
  /** The worker running it (null while it waits in a queue). */
  slot: Slot | null;
  /** Whether it counts against its worker's IN_FLIGHT (queued jobs do; messages posted at once do not). */
  counted: boolean;
  resolve: (reply: FromWorker) => void;
  /** For an analysis: receives its highlights ahead of the answer. */
  onHighlights?: (highlights: PackedHighlights) => void;
}

export class WorkerPool {
  /** True when jobs run in worker threads (else they share the caller's thread). */
  readonly threaded: boolean;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextJob = 1;
  /** The compiled registry in force, shared by every worker (a replacement worker gets it too). */
  private shared: Uint8Array | undefined;
  /** The workers' code version, which names their compiled registries and scan generations. */
  private readonly code: string;
  /** The version of the registry in force (with the code version, it names the scan generation). */
  private registryVersion = '';
  private disposed = false;
  private readonly idleMs: number;
  private readonly documentIdleMs: number;

  /** `idleMs`, `documentIdleMs`: how long an idle worker keeps running (see IDLE_MS, DOCUMENT_IDLE_MS). */
  constructor(private readonly workerScript: string | undefined, size = Math.max(1, Math.min(2, os.cpus().length)), options: { idleMs?: number; documentIdleMs?: number } = {}) {
    this.threaded = workerScript !== undefined;
    this.code = codeVersion(workerScript);
    this.idleMs = options.idleMs ?? IDLE_MS;
    this.documentIdleMs = options.documentIdleMs ?? DOCUMENT_IDLE_MS;
    for (let i = 0; i < (workerScript ? size : 1); i++) this.slots.push({ executor: this.start(), inFlight: 0, own: [], paused: false, documents: new Set() });
  }

  /** How many workers are running now (the others start with their next job). */
  get running(): number {
    return this.slots.filter((s) => s.executor.running).length;
  }

  /**
   * A worker that starts with its first message: its start-up (compiling the bundle) would otherwise
   * compete with the host's reading of the registry, which comes first and needs no worker when warm.
   * Until then a registry message replaces the one kept (a worker needs only the latest), and 'forget'
   * has nothing to drop. Without a worker bundle the jobs run in process, one per turn of the event loop.
   */
  private start(): Executor {
    const script = this.workerScript;
    let registry: ToWorker | undefined = this.shared && { kind: 'useRegistry', bytes: this.shared };
    let run: ((m: ToWorker) => void) | undefined;
    let stop: () => Promise<unknown> = async () => undefined;
    const executor: Executor = {
      post: (m) => {
        if (!run && m.kind === 'useRegistry') return void (registry = m);
        if (!run && m.kind === 'forget') return;
        if (!run) {
          if (script) {
            const worker = this.spawn(script, executor);
            run = (message) => worker.postMessage(message);
            stop = () => worker.terminate();
          } else {
            const jobs = new WorkerJobs((reply) => this.receive(reply));
            run = (message) => void setImmediate(() => jobs.handle(message));
          }
          if (registry) run(registry);
        }
        run(m);
      },
      get running() {
        return run !== undefined;
      },
      terminate: () => stop(),
    };
    return executor;
  }

  private spawn(workerScript: string, executor: Executor): Worker {
    const receive = (reply: FromWorker): void => this.receive(reply);
    const worker = new Worker(workerScript);
    worker.unref();
    worker.on('message', receive);
    worker.on('error', (e) => console.warn('[attache] a worker failed', e));
    // A worker that dies (out of memory, a bug) fails its jobs and is replaced; the pool goes on.
    worker.on('exit', () => {
      const slot = this.slots.find((s) => s.executor === executor);
      if (this.disposed || !slot) return;
      for (const [job, p] of this.pending) if (p.slot === slot) this.receive({ kind: 'failed', job, message: 'a worker stopped' });
      slot.inFlight = 0;
      // Its documents' caches are gone with it: their next analysis starts a new one.
      slot.documents.clear();
      slot.executor = this.start();
      this.pump();
    });
    return worker;
  }

  /**
   * Loads the registry for the host and the workers. The compiled registry is read from the cache
   * here, without waiting for a worker to start; when there is none (or it is damaged), the first
   * worker compiles it (and writes the cache). The host checks its checksum in slices and decodes an
   * entity only when it is read; every worker views the same shared bytes. Workers take no new jobs
   * meanwhile: every job queued after this call uses the new registry.
   */
  async loadRegistry(sources: RegistrySource[], cacheDir?: string): Promise<HostRegistry> {
    for (const slot of this.slots) slot.paused = true;
    try {
      const dir = cacheDir && path.join(cacheDir, 'registry');
      const name = compiledName(sources, this.code);
      const hit = dir ? await readCompiledShared(path.join(dir, name)) : null;
      const cached = hit && (await decoded(hit).catch(() => null));
      const { bytes, loaded, compiled } = cached ?? (await this.compile(sources, dir ? { dir, name } : undefined));
      this.shared = bytes;
      this.registryVersion = loaded.registry.version;
      if (!this.disposed) this.slots.forEach((slot, i) => slot.executor.post({ kind: 'useRegistry', bytes, cacheDir: i === 0 ? cacheDir : undefined }));
      return { ...loaded, compiled, cached: cached !== null };
    } finally {
      for (const slot of this.slots) slot.paused = false;
      this.pump();
      // A worker that compiled the registry and has nothing else to do stops in time, like any idle one.
      for (const slot of this.slots) this.idleSoon(slot);
    }
  }

  /**
   * Compiles the registry: in a process of its own when there is a worker bundle (parsing 50,000
   * entities churns hundreds of MB of native memory, which a thread would leave with the extension
   * host and a process returns to the system when it exits), else, or when that process cannot run,
   * in the first worker.
   */
  private async compile(sources: RegistrySource[], cacheFile: { dir: string; name: string } | undefined): Promise<Decoded> {
    const inProcess = this.workerScript ? await compileInProcess(this.workerScript, sources, cacheFile) : null;
    if (inProcess) return decoded(inProcess);
    const { reply } = await this.request((job) => ({ kind: 'compileRegistry', job, sources, cacheFile }), { slot: this.slots[0], now: true });
    if (reply.kind !== 'compiledRegistry') throw new Error(reply.kind === 'failed' ? reply.message : 'unexpected reply');
    return decoded(reply.bytes);
  }

  async scanFile(path: string, cacheDir?: string): Promise<ScanOutcome> {
    const { reply } = await this.request((job) => ({ kind: 'scanFile', job, path, cacheDir }));
    if (reply.kind === 'scanned') return { kind: 'scanned', scan: reply.scan, disk: reply.disk, cached: reply.cached };
    if (reply.kind === 'skipped') return { kind: 'skipped', skip: reply.skip };
    return { kind: 'failed', message: reply.kind === 'failed' ? reply.message : 'unexpected reply' };
  }

  /**
   * Which of `files` the index snapshot of the registry in force still describes (without a usable
   * snapshot, none). Read here, with asynchronous reads: the workers may still be taking the registry.
   */
  openSnapshot(cacheDir: string, files: readonly string[]): Promise<SnapshotFound> {
    return openSnapshot(cacheDir, scanGeneration(this.code, this.registryVersion), files);
  }

  /**
   * The record of a text (by content hash) from the scan cache of the registry in force, read here
   * without a worker (a few milliseconds: the Commitments view reads a page's texts back this way);
   * null when the cache does not hold it whole.
   */
  async cachedRecord(cacheDir: string, hash: string): Promise<FileScan | null> {
    const file = path.join(scanDir(cacheDir, scanGeneration(this.code, this.registryVersion)), recordName(hash));
    const bytes = await fs.promises.readFile(file).catch(() => null);
    const scan = bytes && decodeRecord(bytes);
    return scan && scan.hash === hash ? scan : null;
  }

  /** Writes the index snapshot of these files (in a worker; the records come from the scan cache). */
  async saveSnapshot(cacheDir: string, entries: SnapshotEntry[]): Promise<void> {
    await this.request((job) => ({ kind: 'saveSnapshot', job, cacheDir, entries }));
  }

  /** Scans an open document's text in the worker that keeps this document's readings (so a re-scan after an edit is incremental). */
  async analyse(document: string, text: string, onHighlights?: (highlights: PackedHighlights) => void): Promise<{ result: PackedScan; registryVersion: string }> {
    const route = { slot: this.slotOf(document), onHighlights };
    route.slot.documents.add(document);
    const { reply } = await this.request((job) => ({ kind: 'analyse', job, document, text }), route);
    if (reply.kind !== 'analysed') throw new Error(reply.kind === 'failed' ? reply.message : 'unexpected reply');
    return { result: reply.result, registryVersion: reply.registryVersion };
  }

  /** Drops what the workers keep for a closed document. */
  forget(document: string): void {
    if (this.disposed) return;
    const slot = this.slotOf(document);
    slot.documents.delete(document);
    slot.executor.post({ kind: 'forget', document });
    this.idleSoon(slot);
  }

  /** Stops a slot's worker once it has been idle (no job queued, running or sent to it) for `idleMs`, or `documentIdleMs` while it holds document caches. */
  private idleSoon(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    if (this.disposed || !slot.executor.running || !this.idle(slot)) return;
    slot.idleTimer = setTimeout(() => {
      if (this.disposed || !this.idle(slot)) return;
      const executor = slot.executor;
      slot.executor = this.start();
      slot.documents.clear();
      void executor.terminate();
    }, slot.documents.size > 0 ? this.documentIdleMs : this.idleMs);
    // The timer alone does not keep the process (a CLI run, a test) alive.
    slot.idleTimer.unref();
  }

  private idle(slot: Slot): boolean {
    if (slot.paused || slot.inFlight > 0 || slot.own.length > 0 || this.queue.length > 0) return false;
    for (const p of this.pending.values()) if (p.slot === slot) return false;
    return true;
  }

  private slotOf(document: string): Slot {
    let h = 0;
    for (let i = 0; i < document.length; i++) h = (h * 31 + document.charCodeAt(i)) | 0;
    return this.slots[Math.abs(h) % this.slots.length];
  }

  /**
   * Sends a job: `now` posts it to one worker at once (it runs after what that worker already has);
   * otherwise it waits in the slot's own queue (ahead of the shared one) or the shared queue.
   */
  private request(make: (job: number) => Job, route: { slot?: Slot; now?: boolean; onHighlights?: (h: PackedHighlights) => void } = {}): Promise<{ reply: FromWorker }> {
    if (this.disposed) return Promise.resolve({ reply: { kind: 'failed', job: 0, message: 'the worker pool is closed' } });
    return new Promise((resolve) => {
      const job = this.nextJob++;
      const message = make(job);
      const direct = route.now && route.slot;
      const pending: Pending = { slot: direct || null, counted: !direct, resolve: (reply) => resolve({ reply }), onHighlights: route.onHighlights };
      this.pending.set(job, pending);
      if (direct) return direct.executor.post(message);
      (route.slot ? route.slot.own : this.queue).push(message);
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      while (!slot.paused && slot.inFlight < IN_FLIGHT) {
        const message = slot.own.shift() ?? this.queue.shift();
        if (!message) break;
        const pending = this.pending.get(message.job);
        if (pending) pending.slot = slot;
        slot.inFlight++;
        slot.executor.post(message);
      }
    }
  }

  private receive(reply: FromWorker): void {
    const pending = this.pending.get(reply.job);
    if (!pending) return;
    // Highlights come ahead of their analysis: the job is still under way.
    if (reply.kind === 'highlights') return pending.onHighlights?.(reply.highlights);
    this.pending.delete(reply.job);
    if (pending.counted && pending.slot) pending.slot.inFlight = Math.max(0, pending.slot.inFlight - 1);
    pending.resolve(reply);
    this.pump();
    if (pending.slot) this.idleSoon(pending.slot);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const [job, p] of [...this.pending]) {
      this.pending.delete(job);
      p.resolve({ kind: 'failed', job, message: 'the worker pool is closed' });
    }
    this.queue.length = 0;
    // A closed pool lets go of the registry it shared (tens of MB for a large one).
    this.shared = undefined;
    for (const slot of this.slots) clearTimeout(slot.idleTimer);
    await Promise.all(this.slots.map((s) => s.executor.terminate()));
  }
}

/**
 * Runs a registry compile in a child process of the worker bundle (Node's, or the editor's runtime as
 * Node): its bytes, copied onto a SharedArrayBuffer for the workers to share; null when the process
 * cannot start or exits without an answer (a worker thread compiles then). A compile that fails in it
 * rejects, as it would in a worker: it is not tried again.
 */
function compileInProcess(script: string, sources: RegistrySource[], cacheFile: { dir: string; name: string } | undefined): Promise<Uint8Array | null> {
  const answer = new Promise<Extract<FromWorker, { kind: 'compiledRegistry' }> | null>((resolve, reject) => {
    const child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    child.once('error', () => resolve(null));
    child.once('exit', () => resolve(null));
    child.once('message', (reply: FromWorker) => {
      child.disconnect();
      if (reply.kind === 'compiledRegistry') resolve(reply);
      else reject(new Error(reply.kind === 'failed' ? reply.message : 'unexpected reply'));
    });
    // With a cache file, the bytes come back through it: read without blocking, not one large message parsed at once.
    child.send({ kind: 'compileRegistry', job: 0, sources, cacheFile, answerInFile: true } satisfies ToWorker);
  });
  return answer.then(async (reply) => {
    if (!reply) return null;
    const bytes = reply.inFile && cacheFile ? await readCompiledShared(path.join(cacheFile.dir, cacheFile.name)) : reply.bytes;
    if (!bytes || bytes.buffer instanceof SharedArrayBuffer) return bytes;
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
    shared.set(bytes);
    return shared;
  });
}

interface Decoded {
  bytes: Uint8Array;
  compiled: CompiledRegistry;
  loaded: Omit<LoadedRegistry, 'cached'>;
}

/** A compiled registry, checked, and what the host keeps of it (a slice of the work per turn of the event loop). */
async function decoded(bytes: Uint8Array): Promise<Decoded> {
  return { bytes, ...(await hostRegistry(bytes)) };
}
