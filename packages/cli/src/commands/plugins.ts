/**
 * `evroute plugins`: the plugin versions a running router has registered (and the routes each serves),
 * and, when it runs a hot-deploy plugin loader, the loader's bundles with their state and last error.
 */
import { renderTable, withAdminClient, type AdminCommandOptions } from './status.js';

/** Runs `evroute plugins`. Exit 0 when the admin API answered, 1 when it failed or cannot be reached. */
export function pluginsCommand(options: AdminCommandOptions): Promise<number> {
  return withAdminClient('plugins', options, async (client) => {
    const view = await client.plugins();
    if (options.json) {
      options.out(`${JSON.stringify(view, null, 2)}\n`);
      return 0;
    }
    let text =
      view.registered.length === 0
        ? 'no plugins registered\n'
        : renderTable(
            ['plugin', 'version', 'aliases', 'routes'],
            view.registered.map((p) => [p.name, p.version, p.aliases.join(', ') || '-', p.routes.join(', ') || '-']),
          );
    if (view.bundles) {
      text += `\nbundles (plugin loader):\n`;
      text +=
        view.bundles.length === 0
          ? 'none\n'
          : renderTable(
              ['bundle', 'version', 'state', 'last error'],
              view.bundles.map((b) => [b.name ?? '?', b.version ?? '?', b.state ?? '?', b.lastError ? `${b.lastError.code ? `${b.lastError.code}: ` : ''}${b.lastError.message}` : '-']),
            );
    }
    options.out(text);
    return 0;
  });
}
