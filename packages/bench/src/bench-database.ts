/**
 * A database of the benchmark run on the shared MariaDB: created with evroute's own migrations (the
 * wide table and `routing_configs`), emptied before each run, dropped at the end.
 */
import { migrate } from '@evroute/mysql';
import { COMPARABLE_COLUMNS, WIDE_TABLE } from '@evroute/wrongbook';
import { createPool, type Pool } from 'mysql2/promise';

/**
 * Row count and an order-independent checksum of the wide table's columns except the wall-clock
 * `process_time`: two pipelines that did the same work leave the same fingerprint.
 */
export async function tableFingerprint(pool: Pool, table: string): Promise<string> {
  const columns = COMPARABLE_COLUMNS.map((c) => `COALESCE(\`${c}\`, '~')`).join(', ');
  const [rows] = (await pool.query(`SELECT COUNT(*) AS n, BIT_XOR(CRC32(CONCAT_WS('|', ${columns}))) AS x FROM ${table}`)) as unknown as [Array<{ n: number | string; x: number | string }>];
  return `${String(rows[0]?.n)} rows, crc ${String(rows[0]?.x)}`;
}

/** One benchmark database. */
export class BenchDatabase {
  private constructor(
    readonly name: string,
    /** The server URL with this database as its path. */
    readonly url: string,
    readonly pool: Pool,
    private readonly admin: Pool,
  ) {}

  /** Creates database `name` on `serverUrl` and runs the routing and wrongbook migrations. */
  static async create(serverUrl: string, name: string): Promise<BenchDatabase> {
    const admin = createPool({ uri: serverUrl, connectionLimit: 1 });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const pool = createPool({ uri: url.toString(), connectionLimit: 2, timezone: 'Z' });
    await migrate(pool, { groups: ['routing', 'wrongbook'] });
    return new BenchDatabase(name, url.toString(), pool, admin);
  }

  /** Empties the wide table. */
  async truncate(): Promise<void> {
    await this.pool.query(`TRUNCATE TABLE \`${WIDE_TABLE}\``);
  }

  /** Rows of the wide table, and how many of them have a fix. */
  async counts(): Promise<{ rows: number; fixed: number }> {
    const [rows] = (await this.pool.query(`SELECT COUNT(*) AS n, COUNT(fix_id) AS f FROM \`${WIDE_TABLE}\``)) as unknown as [Array<{ n: number | string; f: number | string }>];
    return { rows: Number(rows[0]?.n ?? 0), fixed: Number(rows[0]?.f ?? 0) };
  }

  /** See {@link tableFingerprint}. */
  fingerprint(): Promise<string> {
    return tableFingerprint(this.pool, `\`${WIDE_TABLE}\``);
  }

  /** Server settings that shape write throughput, for the record. */
  async settings(): Promise<Record<string, string>> {
    const [rows] = (await this.pool.query(
      'SELECT VERSION() AS version, @@innodb_flush_log_at_trx_commit AS flushLogAtTrxCommit, @@innodb_buffer_pool_size AS bufferPoolBytes, @@sync_binlog AS syncBinlog, @@log_bin AS logBin',
    )) as unknown as [Array<Record<string, unknown>>];
    return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, String(v)]));
  }

  /** Drops the database and closes the pools. */
  async drop(): Promise<void> {
    await this.pool.end();
    try {
      await this.admin.query(`DROP DATABASE IF EXISTS \`${this.name}\``);
    } finally {
      await this.admin.end();
    }
  }
}
