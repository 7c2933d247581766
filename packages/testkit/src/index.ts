export { waitFor, type WaitForOptions } from './wait-for.js';
export { uniqueName } from './unique-name.js';
export { kafkaBrokers, mysqlUrl, assertReachable } from './services.js';
