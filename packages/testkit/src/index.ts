// The public API of @evroute/testkit: in-memory parts, the adapter conformance suites, and helpers
// for tests that use the real services.
export { waitFor, type WaitForOptions } from './wait-for.js';
export { uniqueName } from './unique-name.js';
export { kafkaBrokers, mysqlUrl, assertReachable, requireKafka, requireMysql } from './services.js';
export { MemoryLog, type LogInput } from './memory-log.js';
export { MemorySource, type MemorySourceOptions } from './memory-source.js';
export { MemorySink, MemoryDeadLetterSink } from './memory-sink.js';
export { InMemoryConfigSource as MemoryConfigSource } from '@evroute/core';
export { JsonlFileSource, type JsonlFileSourceOptions } from '@evroute/core';
export { envelope, silentLogger } from './fixtures.js';
export { runPlugins, type CapturedOutput, type PluginRun, type RunPluginsOptions } from './run-plugin.js';
export { runTestFile, type PluginTestFile, type TestCaseResult } from './test-file.js';
// The conformance suites import vitest, so they live at '@evroute/testkit/conformance'.
