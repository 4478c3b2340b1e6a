export { WorkerServer, type WorkerServerOptions } from './server/worker-server.js';
export { WorkerServerError } from './errors.js';
export { createLogger, type Logger } from './logger.js';
export { histogram, type Histogram, type HistogramOptions } from './builtins/histogram.js';
export { FairTaskQueue } from './server/fair-task-queue.js';
export { KeptStore, type KeptStoreOptions } from './kept/kept-store.js';
export { RefValues } from './executor/ref-values.js';
export { ParentWatch } from './executor/parent-watchdog.js';
