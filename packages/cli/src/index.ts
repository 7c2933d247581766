// The programmatic API of @evroute/cli, for hosts that want `evroute run` behaviour in-process.
export { main } from './main.js';
export { buildRouter, loadPluginModules } from './build-router.js';
export { checkRunConfig, loadRunConfig } from './load-config.js';
export { runConfigSchema, type AdapterSpec, type RunConfig } from './run-config-schema.js';
export { cliErrors, type CliErrorCode } from './errors.js';
