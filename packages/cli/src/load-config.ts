/** Reads and validates a run config file against the published schema. */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { EvrouteError } from '@evroute/core';
import { runConfigSchema, type RunConfig } from './run-config-schema.js';

const ajv = new Ajv({ allErrors: true, useDefaults: false, strict: false });
const validate = ajv.compile<RunConfig>(runConfigSchema);

/** Problems with a config, one per bad key, each starting with the JSON pointer of the key. */
export function checkRunConfig(config: unknown): string[] {
  if (validate(config)) return [];
  return (validate.errors ?? []).map((e) => {
    const at = e.instancePath || '/';
    if (e.keyword === 'additionalProperties') return `${at}: unknown key '${String(e.params['additionalProperty'])}'`;
    if (e.keyword === 'required') return `${at}: missing '${String(e.params['missingProperty'])}'`;
    if (e.keyword === 'enum') return `${at}: must be one of ${JSON.stringify(e.params['allowedValues'])}`;
    return `${at}: ${e.message ?? 'is invalid'}`;
  });
}

/** Reads, parses and validates a config file. Throws a coded error listing every problem. */
export async function loadRunConfig(path: string): Promise<RunConfig> {
  let text: string;
  let parsed: unknown;
  try {
    text = await readFile(path, 'utf8');
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new EvrouteError('EVR_ERR_CLI_CONFIG_READ', `cannot read run config ${path}: ${(cause as Error).message}`, { cause });
  }
  const problems = checkRunConfig(parsed);
  const config = parsed as RunConfig;
  for (const [name, binding] of Object.entries(config.outputs ?? {})) {
    if (!config.sinks?.[binding.sink]) problems.push(`/outputs/${name}/sink: no sink named '${binding.sink}' in /sinks`);
  }
  if (problems.length > 0) {
    throw new EvrouteError('EVR_ERR_CLI_CONFIG_INVALID', `run config ${path} is invalid:\n  ${problems.join('\n  ')}`, { context: { problems } });
  }
  return config;
}
