// The fault-injection suite's harness, for its own tests (a private package: nothing here is published).
export { openLab, type Lab } from './lab.js';
export { runFault, runFaults, PARTITIONS, ROUTER_DEFAULTS, type FaultRun, type FaultSpec } from './fault-run.js';
export { brokenInvariants, failureReport, assertInvariants, newCounters, type Counters } from './counters.js';
export { expectationOf, reflects, type Expectation, type Expected } from './expectations.js';
export type { PlannedDeadLetter } from './final-check.js';
export type { GatePoint, GateMode, RouterProcessConfig, TableView } from './ipc.js';
export { LogCapture } from './log-capture.js';
export { OrderTracker } from './order-tracker.js';
export { PrivateMariaDb, CANARY_PREFIX } from './private-mariadb.js';
export { PrivateKafka } from './private-kafka.js';
export { RouterChild, type Gate, type GateDecision } from './router-child.js';
export { RunDatabase, WRONGBOOK_ROUTES, type RouteRow, type DeadLetterRow } from './run-database.js';
export { PROBE_TABLE } from './router-wiring.js';
export { readResults, recordResult, RESULTS_FILE, type RunResult } from './results.js';
export { resultsTable } from './results-table.js';
export { readSettings, type Settings } from './settings.js';
export { waitUntil } from './processes.js';
export { Ledger, partitionOf, wrongbookWorkload, type WorkloadMessage, type ProducedMessage } from './workload.js';
