// The pool of workers everything heavy runs in: registry loading, article scans for the workspace
// index, and analysis of large open documents. min(2, cores) worker threads; without a worker bundle
// (unit tests, a broken install) the same jobs run in process, one per turn of the event loop.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Registry, RegistryEntity, ScanResult } from '../core/types';
import { WorkerJobs } from './jobs';
import type { FileScan, FromWorker, RegistrySource, Skip, ToWorker } from './protocol';
import type { LoadedRegistry } from './registryLoad';

export type ScanOutcome = { kind: 'scanned'; scan: FileScan; cached: boolean } | { kind: 'skipped'; skip: Skip } | { kind: 'failed'; message: string };

/** Jobs sent to one worker at a time: enough to hide message latency, few enough that urgent jobs are not stuck behind many. */
const IN_FLIGHT = 2;

interface Executor {
  post(message: ToWorker): void;
  terminate(): Promise<unknown>;
}

type Job = Exclude<ToWorker, { kind: 'forget' }>;

interface Slot {
  executor: Executor;
  inFlight: number;
  /** Jobs only this worker can run (a document's analysis stays with the worker holding its cache). */
  own: Job[];
  /** True while it waits for a new registry: it takes no jobs. */
  paused: boolean;
}

interface Pending {
  /** The worker running it (null while it waits in a queue). */
  slot: Slot | null;
  /** Whether it counts against its worker's IN_FLIGHT (queued jobs do; messages posted at once do not). */
  counted: boolean;
  resolve: (reply: FromWorker) => void;
  entities: RegistryEntity[];
}

export class WorkerPool {
  /** True when jobs run in worker threads (else they share the caller's thread). */
  readonly threaded: boolean;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextJob = 1;
  private lastRegistry: { sources: RegistrySource[]; cacheDir?: string } | undefined;
  private disposed = false;

  constructor(workerScript: string | undefined, size = Math.max(1, Math.min(2, os.cpus().length))) {
    this.threaded = workerScript !== undefined;
    for (let i = 0; i < (workerScript ? size : 1); i++) this.slots.push({ executor: this.start(workerScript), inFlight: 0, own: [], paused: false });
  }

  private start(workerScript: string | undefined): Executor {
    const receive = (reply: FromWorker): void => this.receive(reply);
    if (!workerScript) {
      const jobs = new WorkerJobs(receive);
      return { post: (m) => void setImmediate(() => jobs.handle(m)), terminate: async () => undefined };
    }
    const worker = new Worker(workerScript);
    const executor: Executor = { post: (m) => worker.postMessage(m), terminate: () => worker.terminate() };
    worker.unref();
    worker.on('message', receive);
    worker.on('error', (e) => console.warn('[attache] a worker failed', e));
    // A worker that dies (out of memory, a bug) fails its jobs and is replaced; the pool goes on.
    worker.on('exit', () => {
      const slot = this.slots.find((s) => s.executor === executor);
      if (this.disposed || !slot) return;
      for (const [job, p] of this.pending) if (p.slot === slot) this.receive({ kind: 'failed', job, message: 'a worker stopped' });
      slot.inFlight = 0;
      slot.executor = this.start(workerScript);
      if (this.lastRegistry) slot.executor.post({ kind: 'registry', job: 0, ...this.lastRegistry, reply: false });
      this.pump();
    });
    return executor;
  }

  /**
   * Loads the registry into the workers and brings the merged registry back, its entities in slices.
   * The first worker parses (and writes the compiled cache); the others load after it, from that
   * cache, and get no scans meanwhile: every job queued after this call uses the new registry.
   */
  async loadRegistry(sources: RegistrySource[], cacheDir?: string): Promise<LoadedRegistry> {
    this.lastRegistry = { sources, cacheDir };
    const [first, ...others] = this.slots;
    for (const slot of others) slot.paused = true;
    const { reply, entities } = await this.request((job) => ({ kind: 'registry', job, sources, cacheDir, reply: true }), { slot: first, now: true });
    for (const slot of others) {
      slot.paused = false;
      void this.request((job) => ({ kind: 'registry', job, sources, cacheDir, reply: false }), { slot, now: true });
    }
    this.pump();
    if (reply.kind !== 'registry') throw new Error(reply.kind === 'failed' ? reply.message : 'unexpected reply');
    const { loaded } = reply;
    const registry: Registry = { entities, byId: new Map(entities.map((e) => [e.id, e])), problems: loaded.problems, version: loaded.version };
    return { registry, files: loaded.files, crossFile: loaded.crossFile, cached: loaded.cached };
  }

  async scanFile(path: string, cacheDir?: string): Promise<ScanOutcome> {
    const { reply } = await this.request((job) => ({ kind: 'scanFile', job, path, cacheDir }));
    if (reply.kind === 'scanned') return { kind: 'scanned', scan: reply.scan, cached: reply.cached };
    if (reply.kind === 'skipped') return { kind: 'skipped', skip: reply.skip };
    return { kind: 'failed', message: reply.kind === 'failed' ? reply.message : 'unexpected reply' };
  }

  /** Scans an open document's text in the worker that keeps this document's readings (so a re-scan after an edit is incremental). */
  async analyse(document: string, text: string): Promise<{ result: ScanResult; registryVersion: string }> {
    const { reply } = await this.request((job) => ({ kind: 'analyse', job, document, text }), { slot: this.slotOf(document) });
    if (reply.kind !== 'analysed') throw new Error(reply.kind === 'failed' ? reply.message : 'unexpected reply');
    return { result: reply.result, registryVersion: reply.registryVersion };
  }

  /** Drops what the workers keep for a closed document. */
  forget(document: string): void {
    if (!this.disposed) this.slotOf(document).executor.post({ kind: 'forget', document });
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
  private request(make: (job: number) => Job, route: { slot?: Slot; now?: boolean } = {}): Promise<{ reply: FromWorker; entities: RegistryEntity[] }> {
    if (this.disposed) return Promise.resolve({ reply: { kind: 'failed', job: 0, message: 'the worker pool is closed' }, entities: [] });
    return new Promise((resolve) => {
      const job = this.nextJob++;
      const message = make(job);
      const direct = route.now && route.slot;
      const pending: Pending = { slot: direct || null, counted: !direct, resolve: (reply) => resolve({ reply, entities: pending.entities }), entities: [] };
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
    if (reply.kind === 'registryEntities') {
      for (const e of reply.entities) pending.entities.push(e);
      return;
    }
    this.pending.delete(reply.job);
    if (pending.counted && pending.slot) pending.slot.inFlight = Math.max(0, pending.slot.inFlight - 1);
    pending.resolve(reply);
    this.pump();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const [job, p] of [...this.pending]) {
      this.pending.delete(job);
      p.resolve({ kind: 'failed', job, message: 'the worker pool is closed' });
    }
    this.queue.length = 0;
    await Promise.all(this.slots.map((s) => s.executor.terminate()));
  }
}
