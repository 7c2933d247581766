/**
 * The `evroute` command. Exit codes: 0 success; 1 runtime failure; 2 bad usage or an invalid config.
 */
import { parseArgs } from 'node:util';
import { isEvrouteError } from '@evroute/core';
import { buildPluginLoader, buildRouter, prepareAdmin } from './build-router.js';
import { dlqList, dlqReplay } from './commands/dlq.js';
import { pluginsCommand } from './commands/plugins.js';
import { routesCommand } from './commands/routes.js';
import { statusCommand } from './commands/status.js';
import { explainCommand } from './commands/explain.js';
import { keygenCommand } from './commands/plugin-keygen.js';
import { initCommand } from './commands/plugin-init.js';
import { packCommand } from './commands/plugin-pack.js';
import { signCommand } from './commands/plugin-sign.js';
import { testCommand } from './commands/test.js';
import { loadRunConfig } from './load-config.js';
import { runConfigSchema } from './run-config-schema.js';

const HELP = `evroute: plugin-based event routing

Usage:
  evroute run --config <file>        run a router from a JSON run config until SIGINT/SIGTERM
                                     (or until a finite source such as a JSONL file is done)
  evroute validate --config <file>   check a run config against the schema; prints every problem
  evroute config-schema              print the JSON Schema of run configs
  evroute test <file|dir>...         run declarative plugin tests (*.evtest.json)
  evroute explain --config <file> --event <json|@file> [--dry-run]
                                     which routes an event takes under the live table, and why
  evroute dlq list --config <file>   list the dead letters of the config's deadLetter store
  evroute dlq replay --config <file> [--pin name@version] [--dry-run] [--code <code>]
                                     re-feed dead letters through the config's pipeline
  evroute plugin init <name> [--out <parent dir>]
                                     scaffold a plugin package: source, a test, pack and sign scripts
  evroute plugin pack <package dir> [--out <dir>] [--isolation worker]
                                     bundle a plugin package for hot deployment into
                                     <out>/<name>@<version>/ (default out: <package dir>/bundles)
  evroute plugin sign --key <private key> <bundle dir>
                                     sign a bundle's plugin.json with an Ed25519 key
  evroute plugin keygen --out <prefix>
                                     make <prefix>.key (private) and <prefix>.pub (public)
  evroute status [--url <admin url>] readiness, counters, routes and alerts of a running router
                                     (reads the admin API that evroute run serves)
  evroute routes [list]              the live routing table of a running router
  evroute routes pause|resume <id>   hold a route's events (parked, in order) / let them go again
  evroute routes reload              make the running router read its routing config now
  evroute plugins                    plugin versions and hot-deploy bundles of a running router
  evroute help | --help              this text

Options:
  --config, -c <file>   the run config (JSON)
  --json                machine-readable output (validate, plugin, status, routes, plugins)
  --out, -o <path>      plugin pack: output folder; plugin keygen: key file prefix
  --key, -k <file>      plugin sign: the Ed25519 private key (PEM)
  --isolation <mode>    plugin pack: in-process | worker, where the loader runs the plugin
  --url <admin url>     status, routes, plugins: the admin API (default $EVROUTE_ADMIN_URL or
                        http://127.0.0.1:9464)
  --token <token>       routes pause|resume|reload: the admin token (default $EVROUTE_ADMIN_TOKEN)

Exit codes: 0 success; 1 runtime failure (e.g. the admin API cannot be reached); 2 bad usage or config.
`;

type Out = { out: (text: string) => void; err: (text: string) => void };

/** Runs the CLI with `argv` (without node and script). Resolves with the exit code. */
export async function main(argv: readonly string[], io: Out = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        'dry-run': { type: 'boolean', default: false },
        pin: { type: 'string' },
        event: { type: 'string' },
        code: { type: 'string' },
        out: { type: 'string', short: 'o' },
        key: { type: 'string', short: 'k' },
        isolation: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
      },
    });
  } catch (error) {
    io.err(`evroute: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const command = values.help ? 'help' : (positionals[0] ?? 'help');
  const needConfig = (): string | undefined => {
    if (!values.config) io.err(`evroute ${command}: --config <file> is required\n`);
    return values.config;
  };
  try {
    switch (command) {
      case 'help':
        io.out(HELP);
        return 0;
      case 'config-schema':
        io.out(`${JSON.stringify(runConfigSchema, null, 2)}\n`);
        return 0;
      case 'validate': {
        const path = needConfig();
        if (!path) return 2;
        try {
          await loadRunConfig(path);
        } catch (error) {
          const problems = isEvrouteError(error) ? ((error.context['problems'] as string[] | undefined) ?? [error.message]) : [String(error)];
          if (values.json) io.out(`${JSON.stringify({ valid: false, problems })}\n`);
          else io.err(`${path} is invalid:\n  ${problems.join('\n  ')}\n`);
          return 2;
        }
        io.out(values.json ? `${JSON.stringify({ valid: true, problems: [] })}\n` : `${path} is valid\n`);
        return 0;
      }
      case 'run': {
        const path = needConfig();
        if (!path) return 2;
        const config = await loadRunConfig(path);
        const admin = prepareAdmin(config);
        const router = await buildRouter(config, path, undefined, admin.overrides);
        const loader = await buildPluginLoader(config, path, router);
        const stop = new Promise<string>((resolve) => {
          process.once('SIGINT', () => resolve('SIGINT'));
          process.once('SIGTERM', () => resolve('SIGTERM'));
        });
        try {
          await loader?.start(); // before the router, so its first routing table sees the folder's plugins
          await admin.start(router, loader); // before the router: /healthz answers while it starts
          await router.start();
          const why = await Promise.race([stop, router.finished().then(() => 'source finished')]);
          router.logger.info({ why }, 'stopping');
          await router.stop();
          return 0;
        } finally {
          // Also when starting failed: an open watcher or server would keep the process alive.
          await admin.close();
          await loader?.close();
        }
      }
      case 'test': {
        if (positionals.length < 2) {
          io.err('evroute test: give one or more *.evtest.json files or folders\n');
          return 2;
        }
        return await testCommand(positionals.slice(1), { out: io.out, json: values.json });
      }
      case 'explain': {
        const path = needConfig();
        if (!path) return 2;
        if (!values.event) {
          io.err('evroute explain: --event <json|@file> is required\n');
          return 2;
        }
        return await explainCommand({ configPath: path, event: values.event, dryRun: values['dry-run'], json: values.json, out: io.out });
      }
      case 'dlq': {
        const path = needConfig();
        if (!path) return 2;
        const sub = positionals[1];
        const opts = { configPath: path, json: values.json, dryRun: values['dry-run'], out: io.out, err: io.err, ...(values.pin ? { pin: values.pin } : {}), ...(values.code ? { code: values.code } : {}) };
        if (sub === 'list') return await dlqList(opts);
        if (sub === 'replay') return await dlqReplay(opts);
        io.err(`evroute dlq: expected 'list' or 'replay'\n`);
        return 2;
      }
      case 'plugin': {
        const [, sub, target] = positionals;
        const print = io.out;
        if (sub === 'pack' && target) return await packCommand({ packageDir: target, json: values.json, print, ...(values.out ? { out: values.out } : {}), ...(values.isolation ? { isolation: values.isolation } : {}) });
        if (sub === 'sign' && target && values.key) return await signCommand({ target, key: values.key, json: values.json, print });
        if (sub === 'keygen' && values.out) return await keygenCommand({ prefix: values.out, json: values.json, print });
        if (sub === 'init' && target) return await initCommand({ name: target, print, ...(values.out ? { parent: values.out } : {}) });
        io.err(`evroute plugin: expected 'init <name>', 'pack <package dir>', 'sign --key <file> <bundle dir>' or 'keygen --out <prefix>'\n`);
        return 2;
      }
      case 'status':
      case 'routes':
      case 'plugins': {
        const opts = { url: values.url, token: values.token, json: values.json, out: io.out, err: io.err };
        if (command === 'status') return await statusCommand(opts);
        if (command === 'plugins') return await pluginsCommand(opts);
        return await routesCommand(positionals.slice(1), opts);
      }
      default:
        io.err(`evroute: unknown command '${command}'\n\n${HELP}`);
        return 2;
    }
  } catch (error) {
    const code = isEvrouteError(error) ? error.code : 'EVR_ERR_UNEXPECTED';
    io.err(`evroute ${command}: ${code}: ${(error as Error).message}\n`);
    return isEvrouteError(error) && (error.code === 'EVR_ERR_CLI_CONFIG_INVALID' || error.code === 'EVR_ERR_CLI_CONFIG_READ' || error.code === 'EVR_ERR_CLI_USAGE') ? 2 : 1;
  }
}
