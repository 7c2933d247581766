/**
 * Where the example's shipped files are: `routing.json`, `sql/`, `config/`, `plugins/`. Resolved from
 * this module's own location (one folder below the package root, in `src/` and in `dist/` alike), so the
 * example finds them whatever the working directory.
 */
import { fileURLToPath } from 'node:url';

/** The absolute path of a file shipped with the example, e.g. `exampleFile('sql/dimension-data.sql')`. */
export function exampleFile(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

/** The example's package folder. */
export const EXAMPLE_ROOT = exampleFile('');

/** The shipped routing table for embedded mode, in the seed's column names. */
export const ROUTING_FILE = exampleFile('routing.json');
/** Sample rows of the four dimension tables: multi-row INSERTs that run on MySQL/MariaDB and SQLite. */
export const DIMENSION_DATA_SQL = exampleFile('sql/dimension-data.sql');
/** The seed's `CREATE TABLE routing_configs` and `INSERT`s verbatim, plus the disabled delete route. */
export const ROUTING_CONFIGS_SQL = exampleFile('sql/routing-configs.sql');
/** The seed's `application.properties` with local addresses. */
export const APPLICATION_PROPERTIES = exampleFile('config/application.properties');
/** The package of the wrongbook-fix 1.0.1 plugin the demo hot-deploys. */
export const FIX_PLUGIN_NEXT = exampleFile('plugins/wrongbook-fix-1.0.1');
