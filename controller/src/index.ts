export { Controller, type ControllerOptions } from './controller.js';
export { ControllerError } from './errors.js';
export { TaskBook, type SetRecord, type TaskRecord } from './dispatch/task-book.js';
export { FlightLedger } from './dispatch/flight-ledger.js';
export { FairQueue } from './dispatch/fair-queue.js';
export { Dispatcher, type DispatchTarget } from './dispatch/dispatcher.js';
export { ServerHealth } from './servers/server-health.js';
