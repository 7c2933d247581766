// @evroute/plugin-wrongbook-fix: default-exports the plugin manifest (what routers and the plugin
// loader pick up); the named exports are for hosts and tests.
export { default, JAVA_CLASS, type WrongbookFixConfig } from './plugin.js';
export { fixOutcomeMessage } from './fix-outcome-message.js';
