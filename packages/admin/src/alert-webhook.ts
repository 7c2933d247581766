/**
 * Posts each alert transition as JSON to a webhook (Alertmanager-style receivers, chat bridges). One
 * attempt per transition with a timeout; a failure is logged and never blocks evaluation. Deliveries
 * are serialised so a receiver sees firing before resolved.
 */
import type { Logger } from 'pino';
import type { AlertTransition } from './api-types.js';
import { adminError } from './errors.js';

/** Where and how to post transitions. */
export interface WebhookOptions {
  /** An http(s) URL. */
  readonly url: string;
  /** Per-request timeout, ms (default 5 000). */
  readonly timeoutMs?: number;
  /** Extra request headers, e.g. an Authorization header for the receiver. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The JSON body of one webhook request. */
export interface WebhookBody extends AlertTransition {
  readonly source: 'evroute';
}

/** A webhook sender; `send` queues a transition, `idle()` resolves when the queue is empty. */
export class AlertWebhook {
  readonly #options: WebhookOptions;
  readonly #logger: Logger;
  #queue: Promise<void> = Promise.resolve();

  /** Throws `EVR_ERR_ADMIN_OPTIONS_INVALID` when `url` is not an http(s) URL. */
  constructor(options: WebhookOptions, logger: Logger) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw adminError('EVR_ERR_ADMIN_OPTIONS_INVALID', `webhook.url '${options.url}' is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw adminError('EVR_ERR_ADMIN_OPTIONS_INVALID', `webhook.url must be http or https, not ${url.protocol}`);
    this.#options = options;
    this.#logger = logger;
  }

  /** Queues one transition for delivery. Never throws. */
  send(transition: AlertTransition): void {
    this.#queue = this.#queue.then(() => this.#post(transition));
  }

  /** Resolves when every queued transition has been attempted. */
  idle(): Promise<void> {
    return this.#queue;
  }

  async #post(transition: AlertTransition): Promise<void> {
    const body: WebhookBody = { source: 'evroute', ...transition };
    try {
      const response = await fetch(this.#options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.#options.headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 5_000),
      });
      await response.body?.cancel();
      if (!response.ok) this.#logger.warn({ alert: transition.alert, state: transition.state, status: response.status }, 'alert webhook answered with an error status');
    } catch (error) {
      this.#logger.warn({ alert: transition.alert, state: transition.state, err: error }, 'alert webhook could not be reached');
    }
  }
}
