export * from './errors.js';
export type * from './event.js';
export { routingKey } from './event.js';
export * from './plugin.js';
export type * from './source.js';
export type * from './sink.js';
export type * from './config-source.js';
