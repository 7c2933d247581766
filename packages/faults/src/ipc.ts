/**
 * The messages between the suite (parent) and a router process (child) over the Node IPC channel.
 *
 * The child announces *gates*: the moments a fault may be injected at (just before and just after the
 * wide-table write, just before and just after an offset commit). A gate in `hold` mode waits for the
 * parent's `release`, so the parent can SIGKILL the child exactly there, or check the database before a
 * commit goes out; a gate in `notify` mode only reports.
 */

/** Where a router process can be stopped or inspected. */
export type GatePoint = 'before-write' | 'after-write' | 'before-commit' | 'after-commit';

/** What a gate does: report and wait for a release, or only report. */
export type GateMode = 'hold' | 'notify';

/** A partition position as Kafka commits it: the next offset to consume. */
export interface CommitOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** What a router process is built from (sent as the first IPC message, so no secret is on a command line). */
export interface RouterProcessConfig {
  /** Instance name in logs. */
  readonly name: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  /** SASL credentials (the secrets-in-logs check gives canary ones). */
  readonly sasl?: { readonly mechanism: 'plain'; readonly username: string; readonly password: string };
  /** `mysql://user:password@host:port/database` of the private MariaDB. */
  readonly mysqlUrl: string;
  readonly gates: Readonly<Partial<Record<GatePoint, GateMode>>>;
  readonly commitIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  /** How often the child reports its memory. */
  readonly rssIntervalMs: number;
  /** Largest event value, bytes (the router's `maxEventBytes`). */
  readonly maxEventBytes: number;
  /** Poll interval of the routing table. */
  readonly configIntervalMs: number;
  /** Hot deployment: the watched folder and the public key bundles must be signed with. */
  readonly plugins?: { readonly dir: string; readonly publicKey: string; readonly workerMaxOldMb: number; readonly workerBatchTimeoutMs: number };
  /** Starts the admin server on a free loopback port; with a token, mutating endpoints need it. */
  readonly admin?: { readonly token?: string };
  /** Give up starting after this long (the secrets check starts routers that cannot connect). */
  readonly startTimeoutMs: number;
  /**
   * Breaks the router on purpose, to prove the checks catch it: `drop` reports every 50th wide-table
   * record written without writing it; `corrupt` changes `fix_result_desc` of every 50th fix row.
   */
  readonly sabotage?: 'drop' | 'corrupt';
}

/** Child → parent. */
export type ChildMessage =
  | { readonly t: 'ready'; readonly adminUrl?: string }
  | { readonly t: 'start-failed'; readonly code: string; readonly message: string }
  | { readonly t: 'gate'; readonly id: number; readonly point: GatePoint; readonly records?: number; readonly offsets?: readonly CommitOffset[] }
  | { readonly t: 'memory'; readonly rss: number; readonly heapUsed: number; readonly at: number }
  | { readonly t: 'assigned'; readonly partitions: readonly number[] }
  | { readonly t: 'order'; readonly outOfOrder: number; readonly details: readonly string[] }
  | { readonly t: 'loader'; readonly id: number; readonly bundles: readonly LoaderRow[] }
  | { readonly t: 'table'; readonly id: number; readonly table: TableView }
  | { readonly t: 'stopped' };

/** One bundle as the child's plugin loader lists it. */
export interface LoaderRow {
  readonly name: string | undefined;
  readonly version: string | undefined;
  readonly state: string;
  readonly code: string | undefined;
}

/** The live routing table as the child reports it. */
export interface TableView {
  readonly version: number;
  readonly routes: readonly { readonly id: string; readonly processor: string; readonly enabled: boolean; readonly live: boolean; readonly config: string | null; readonly pluginVersion: string | undefined }[];
  readonly refused: readonly { readonly id: string; readonly code: string; readonly keptPrevious: boolean }[];
  /** Routes an operator paused. */
  readonly paused: readonly string[];
}

/** Parent → child. */
export type ParentMessage =
  | { readonly t: 'config'; readonly config: RouterProcessConfig }
  | { readonly t: 'release'; readonly id: number }
  | { readonly t: 'list-bundles'; readonly id: number }
  | { readonly t: 'table'; readonly id: number }
  | { readonly t: 'stop' };

/** True when `value` looks like a message of this protocol (IPC carries anything). */
export function isMessage<T extends { t: string }>(value: unknown): value is T {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string';
}
