/**
 * `evroute routes`: the live routing table of a running router, read from its admin API, and the
 * operator actions on it: `pause <id>`, `resume <id>` (a paused route's events wait, parked, in order)
 * and `reload` (read the routing config now). The actions need the admin token (`--token` or
 * `EVROUTE_ADMIN_TOKEN`).
 */
import { renderTable, routesTable, withAdminClient, type AdminCommandOptions } from './status.js';

const USAGE = 'usage: evroute routes [list | pause <route id> | resume <route id> | reload] [--url <admin url>] [--token <token>] [--json]\n';

/** Runs `evroute routes <args>`. Exit 0 on success, 1 when the admin API fails or cannot be reached, 2 for bad usage. */
export async function routesCommand(args: readonly string[], options: AdminCommandOptions): Promise<number> {
  const [action = 'list', id] = args;
  const print = (value: unknown, text: string): void => options.out(options.json ? `${JSON.stringify(value, null, 2)}\n` : text);
  switch (action) {
    case 'list':
      return withAdminClient('routes', options, async (client) => {
        const view = await client.routes();
        const refused = view.refused.length === 0 ? '' : `\nrefused rows:\n${renderTable(['route', 'code', 'kept previous', 'message'], view.refused.map((r) => [r.id, r.code, r.keptPrevious ? 'yes' : 'no', r.message]))}`;
        print(view, `routing table v${view.version} (source v${view.sourceVersion})\n${routesTable(view.routes)}${refused}`);
        return 0;
      });
    case 'pause':
    case 'resume': {
      if (!id) {
        options.err(`evroute routes ${action}: a route id is required\n${USAGE}`);
        return 2;
      }
      return withAdminClient(`routes ${action}`, options, async (client) => {
        const result = action === 'pause' ? await client.pause(id) : await client.resume(id);
        print(result, result.paused ? `route ${result.route} paused: its events are parked until it is resumed\n` : `route ${result.route} resumed\n`);
        return 0;
      });
    }
    case 'reload':
      return withAdminClient('routes reload', options, async (client) => {
        const result = await client.reload();
        const what = { applied: 'a new table is live', unchanged: 'the source had nothing newer', refused: 'the snapshot was refused as a whole (see the router log)' }[result.outcome];
        print(result, `routing config reloaded: ${what}; the live table is v${result.version}\n`);
        return 0;
      });
    default:
      options.err(`evroute routes: unknown action '${action}'\n${USAGE}`);
      return 2;
  }
}
