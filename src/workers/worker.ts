// Entry point of the worker bundle: relays messages between the pool and the jobs.
import { parentPort } from 'node:worker_threads';
import { WorkerJobs } from './jobs';
import type { ToWorker } from './protocol';

if (parentPort) {
  const port = parentPort;
  const jobs = new WorkerJobs((message) => port.postMessage(message));
  port.on('message', (message: ToWorker) => jobs.handle(message));
}
