// Entry point of the worker bundle: relays messages between the pool and the jobs, in a worker
// thread, or in a child process (the registry compiler: see scanPool.ts), which ends when its
// parent lets go of it.
import { parentPort } from 'node:worker_threads';
import { WorkerJobs } from './jobs';
import type { FromWorker, ToWorker } from './protocol';

if (parentPort) {
  const port = parentPort;
  const jobs = new WorkerJobs((message) => port.postMessage(message));
  port.on('message', (message: ToWorker) => jobs.handle(message));
} else if (process.send) {
  const send = process.send.bind(process);
  const jobs = new WorkerJobs((message: FromWorker) => void send(message));
  process.on('message', (message: ToWorker) => jobs.handle(message));
  // Without its parent (gone, or done with it) there is no one to answer: the process ends.
  process.once('disconnect', () => process.exit(0));
  process.on('error', () => process.exit(0));
}
