/** The adapters `@evroute/core` itself provides, by type name, for the CLI and other hosts. */
import { isAbsolute, resolve } from 'node:path';
import type { AdapterContext, EvrouteAdapters } from './adapters.js';
import type { RouteRow } from './config-source.js';
import { EvrouteError } from './errors.js';
import { JsonFileConfigSource } from './json-file-config-source.js';
import { JsonlDeadLetterReader, JsonlDeadLetterSink } from './jsonl-dead-letter-sink.js';
import { JsonlFileSink } from './jsonl-file-sink.js';
import { JsonlFileSource } from './jsonl-file-source.js';
import { InMemoryConfigSource } from './memory-config-source.js';
import { routeFromColumns } from './route-row.js';

function pathOption(options: Readonly<Record<string, unknown>>, ctx: AdapterContext, what: string): string {
  const path = options['path'];
  if (typeof path !== 'string' || path === '') throw new EvrouteError('EVR_ERR_OPTIONS_INVALID', `${what}: options.path must be a non-empty string`);
  return isAbsolute(path) ? path : resolve(ctx.baseDir, path);
}

/** `jsonl` source and sink, `memory` and `json-file` config sources, `jsonl` dead-letter sink. */
export const coreAdapters: EvrouteAdapters = {
  sources: {
    jsonl: (options, ctx) => new JsonlFileSource({ path: pathOption(options, ctx, 'jsonl source'), ...(typeof options['batchSize'] === 'number' ? { batchSize: options['batchSize'] } : {}) }),
  },
  sinks: {
    jsonl: (options, ctx) => new JsonlFileSink({ path: pathOption(options, ctx, 'jsonl sink') }),
  },
  configSources: {
    'json-file': (options, ctx) => new JsonFileConfigSource({ path: pathOption(options, ctx, 'json-file config'), watch: options['watch'] !== false }),
    memory: (options) => {
      const routes = Array.isArray(options['routes']) ? options['routes'] : [];
      return new InMemoryConfigSource(routes.map((row: unknown, i): RouteRow => routeFromColumns(row, String(i + 1))));
    },
  },
  deadLetterSinks: {
    jsonl: (options, ctx) => new JsonlDeadLetterSink({ path: pathOption(options, ctx, 'jsonl dead-letter sink') }),
  },
  deadLetterReaders: {
    jsonl: (options, ctx) => new JsonlDeadLetterReader({ path: pathOption(options, ctx, 'jsonl dead-letter reader') }),
  },
};
