export { Controller, type ControllerOptions } from './controller.js';
export { ControllerError } from './errors.js';
