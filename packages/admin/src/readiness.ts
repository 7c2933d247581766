/**
 * Readiness (`/readyz`): the router has a routing table, and every part with a health check says it is
 * healthy. A failing check is named, so an operator (or Kubernetes' events) sees which part is down.
 * Liveness (`/healthz`) is only "the process answers": restarting does not fix a broker outage.
 */
import type { Router } from '@evroute/core';
import type { CheckView, ReadyView } from './api-types.js';
import { healthCheckOf } from './component-roles.js';

/** Evaluates the checks of a router and its parts. */
export class Readiness {
  readonly #router: Router;
  readonly #checks: [string, () => boolean][];
  #closing = false;

  /**
   * @param components parts by name; those with a `healthy()` are checked (others are ignored)
   */
  constructor(router: Router, components: Readonly<Record<string, unknown>> = {}) {
    this.#router = router;
    this.#checks = [];
    for (const [name, part] of Object.entries(components)) {
      const check = healthCheckOf(part);
      if (check) this.#checks.push([name, check]);
    }
  }

  /** Marks the admin server as shutting down: from now on readiness fails (`admin`: shutting down). */
  closing(): void {
    this.#closing = true;
  }

  /** Every check now. */
  evaluate(): ReadyView {
    const checks: CheckView[] = [];
    const version = this.#router.table().version;
    checks.push(version > 0 ? { name: 'router', ok: true } : { name: 'router', ok: false, reason: 'no routing table loaded yet (starting, or the config source has not answered)' });
    for (const [name, healthy] of this.#checks) {
      let ok = false;
      let reason = 'reports unhealthy';
      try {
        ok = healthy();
      } catch (error) {
        reason = `health check threw: ${error instanceof Error ? error.message : String(error)}`;
      }
      checks.push(ok ? { name, ok } : { name, ok, reason });
    }
    if (this.#closing) checks.push({ name: 'admin', ok: false, reason: 'shutting down' });
    const failing = checks.filter((c) => !c.ok).map((c) => c.name);
    return { ready: failing.length === 0, failing, checks };
  }

  /** True when every check passes. */
  ready(): boolean {
    return this.evaluate().ready;
  }
}
