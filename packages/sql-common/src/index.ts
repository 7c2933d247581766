// @evroute/sql-common: what the SQL adapters (@evroute/mysql, @evroute/sqlite) share: identifier
// checks, merge plans compiled from output specs, routing_configs rows, cached dimension lookups.
// Adapter authors for another SQL database can build on it too.
export { checkIdentifier, checkQualifiedName, MAX_IDENTIFIER_LENGTH, type SqlArea } from './identifier.js';
export { compileMergePlan, type AssignedRule, type MergeAssignment, type MergePlan, type MergeRule } from './merge-plan.js';
export { contentFingerprint, SnapshotTracker, toRouteRow, toRoutingContent, type RoutingContent, type RoutingTableRow } from './route-rows.js';
export { compareKeys, keyOf } from './key-order.js';
export { CachedLoader, type CachedLoaderOptions } from './cached-loader.js';
export type {
  DimensionKey,
  DimensionListLookup,
  DimensionLookup,
  DimensionLookupMetrics,
  DimensionLookupStats,
  DimensionRow,
} from './dimension-lookup-types.js';
