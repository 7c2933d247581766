/**
 * `POST /config/reload`: asks the config source to read now and waits until the router has dealt with
 * what it read, so the answer says what happened: a new table went live, the source had nothing newer
 * (many sources say nothing then: silence for `settleMs` after the source answered counts as that),
 * or the snapshot was refused as a whole. The outcome
 * is observed on the core's `evroute:config:*` instrumentation channels (process-wide: with several
 * routers in one process, another router's config event can end the wait early).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Router } from '@evroute/core';
import type { ReloadView } from './api-types.js';
import { adminError } from './errors.js';

type Outcome = ReloadView['outcome'] | 'error';

/** Reloads and reports; rejects with `EVR_ERR_ADMIN_RELOAD_FAILED` when the config source fails. */
export async function reloadConfig(router: Router, settleMs = 1_000): Promise<ReloadView> {
  let settle: (outcome: Outcome) => void = () => undefined;
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
  const handlers: [string, () => void][] = [
    ['evroute:config:applied', () => settle('applied')],
    ['evroute:config:stale', () => settle('unchanged')],
    ['evroute:config:source-error', () => settle('error')],
    // Refused rows are published just before `applied` in the same tick; alone, the whole snapshot was refused.
    ['evroute:config:refused', () => setImmediate(() => settle('refused'))],
  ];
  for (const [name, fn] of handlers) diagnosticsChannel.subscribe(name, fn);
  let timer: NodeJS.Timeout | undefined;
  try {
    const errorsBefore = router.stats().configSourceErrors;
    try {
      await router.reloadConfig();
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw adminError('EVR_ERR_ADMIN_RELOAD_FAILED', `the config source failed to reload: ${why}`, { cause });
    }
    if (router.stats().configSourceErrors > errorsBefore) settle('error');
    timer = setTimeout(() => settle('unchanged'), settleMs);
    const result = await outcome;
    if (result === 'error') {
      throw adminError('EVR_ERR_ADMIN_RELOAD_FAILED', 'the config source reported an error while reloading (see the router log); the last good routing table keeps serving');
    }
    return { reloaded: true, outcome: result, version: router.table().version };
  } finally {
    clearTimeout(timer);
    for (const [name, fn] of handlers) diagnosticsChannel.unsubscribe(name, fn);
  }
}
