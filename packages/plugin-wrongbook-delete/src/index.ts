// @evroute/plugin-wrongbook-delete: default-exports the plugin manifest (what routers and the plugin
// loader pick up); the named exports are for hosts and tests.
export { default, JAVA_CLASS, type WrongbookDeleteConfig } from './plugin.js';
export { auditMessage } from './audit-message.js';
