// Runs over BullMQ workers on Redis (issue 15; docs/workers.md): the coordinator's dispatch and the worker.
export { QueueDispatch, QUEUE_IN_FLIGHT, queuePlan, type QueuedPlan, type QueueTarget } from './dispatch';
export { QueueWorker, type WorkerOptions } from './worker';
export { QueueSetupError, redactedUrl } from './connection';
export { DEFAULT_QUEUE } from './protocol';
