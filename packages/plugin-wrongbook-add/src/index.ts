// @evroute/plugin-wrongbook-add: default-exports the plugin manifest (what routers and the plugin
// loader pick up); the named exports are for hosts and tests.
export { default, JAVA_CLASS, type WrongbookAddConfig } from './plugin.js';
export { wrongAnswerMessage } from './wrong-answer-message.js';
