/**
 * Reports live changes of a running router as they take effect: each time a routing table is applied
 * (the `evroute:config:applied` diagnostics channel), the routes are compared with the previous table,
 * and a route that was enabled or disabled, or whose plugin version changed, is reported with the
 * table version it took effect in.
 */
import { channel, type CompiledRoute, type Router } from '@evroute/core';

/** One route's change between two tables. */
export interface RouteChange {
  readonly routeId: string;
  readonly eventType: string;
  /** The table version the change took effect in. */
  readonly tableVersion: number;
  /** When it took effect, epoch ms. */
  readonly at: number;
  readonly enabled: { readonly from: boolean | undefined; readonly to: boolean };
  /** `name@version` serving the route, or undefined when nothing serves it. */
  readonly plugin: { readonly from: string | undefined; readonly to: string | undefined };
}

interface RouteState {
  readonly enabled: boolean;
  readonly plugin: string | undefined;
}

function stateOf(route: CompiledRoute): RouteState {
  return { enabled: route.enabled && route.handle !== undefined, plugin: route.handle?.registered.id };
}

/**
 * Calls `onChange` for each route change of `router` from now on; returns the unsubscribe function.
 * Diagnostics channels are process-wide: with several routers in a process, each watcher looks at its
 * own router's table when any of them applies one.
 */
export function watchRouteChanges(router: Router, onChange: (change: RouteChange) => void): () => void {
  let known = new Map<string, RouteState>();
  const look = (): void => {
    const table = router.table();
    const next = new Map(table.routes.map((r) => [r.id, stateOf(r)] as const));
    for (const route of table.routes) {
      const before = known.get(route.id);
      const now = next.get(route.id) as RouteState;
      if (before !== undefined && before.enabled === now.enabled && before.plugin === now.plugin) continue;
      if (before === undefined && known.size === 0) continue; // the first table: nothing changed yet
      onChange({
        routeId: route.id,
        eventType: route.eventType,
        tableVersion: table.version,
        at: Date.now(),
        enabled: { from: before?.enabled, to: now.enabled },
        plugin: { from: before?.plugin, to: now.plugin },
      });
    }
    known = next;
  };
  const applied = channel('config:applied');
  const listener = (): void => look();
  applied.subscribe(listener);
  look();
  return () => applied.unsubscribe(listener);
}
