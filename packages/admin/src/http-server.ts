/**
 * The admin HTTP server on `node:http`: a small table of endpoints, bearer-token checks for mutating
 * ones, and one error shape, `{ "error": { "code", "message" } }`. No stack trace ever leaves it:
 * errors without an evroute code answer `EVR_ERR_ADMIN_INTERNAL` and are logged in full instead.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { isEvrouteError } from '@evroute/core';
import type { ErrorBody } from './api-types.js';
import { adminError, adminErrors, httpStatusOf, type AdminErrorCode } from './errors.js';

/** What a handler answers: JSON by default, or HTML / text with a content type. */
export interface Reply {
  readonly status?: number;
  readonly json?: unknown;
  readonly body?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One endpoint. `path` is exact, or a RegExp whose groups become `params`. */
export interface Endpoint {
  readonly method: 'GET' | 'POST';
  readonly path: string | RegExp;
  /** Needs `Authorization: Bearer <token>`. */
  readonly mutating?: boolean;
  /** Reads the request body (at most 1 MiB) and hands it to `handle`. */
  readonly readsBody?: boolean;
  handle(params: readonly string[], body?: string): Reply | Promise<Reply>;
}

/** Settings of {@link AdminHttpServer}. */
export interface AdminHttpServerOptions {
  readonly host: string;
  readonly port: number;
  /** The bearer token of mutating endpoints; without one they answer 403. */
  readonly token: string | undefined;
  readonly endpoints: readonly Endpoint[];
  readonly logger: Logger;
}

function decodeParam(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw adminError('EVR_ERR_ADMIN_NOT_FOUND', `'${part}' is not a valid URL path segment`);
  }
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/** The server; `listen()` then `close()`. */
export class AdminHttpServer {
  readonly #options: AdminHttpServerOptions;
  readonly #tokenDigest: Buffer | undefined;
  readonly #server: Server;

  constructor(options: AdminHttpServerOptions) {
    this.#options = options;
    this.#tokenDigest = options.token ? digest(options.token) : undefined;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        options.logger.error({ err: error }, 'admin request handling failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    this.#server.headersTimeout = 10_000;
    this.#server.requestTimeout = 30_000;
  }

  /** Listens; resolves with the base URL. Rejects with `EVR_ERR_ADMIN_LISTEN_FAILED`. */
  listen(): Promise<string> {
    const { host, port } = this.#options;
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        const why = error.code === 'EADDRINUSE' ? 'the address is in use' : error.code === 'EACCES' ? 'not allowed (a port below 1024 needs privileges)' : (error.code ?? error.message);
        reject(adminError('EVR_ERR_ADMIN_LISTEN_FAILED', `the admin server cannot listen on ${host}:${port}: ${why}; set admin.port (0 picks a free port) or admin.enabled false`, { cause: error }));
      };
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        // The admin server never keeps the process alive by itself: the router (or the host) does.
        this.#server.unref();
        const address = this.#server.address() as AddressInfo;
        const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve(`http://${shown}:${address.port}`);
      });
    });
  }

  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void> {
    if (!this.#server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    const path = new URL(req.url ?? '/', 'http://admin').pathname;
    let reply: Reply;
    try {
      reply = await this.#dispatch(method, path, req);
    } catch (error) {
      reply = this.#errorReply(error, method, path);
    }
    const headers: Record<string, string> = { ...COMMON_HEADERS, ...reply.headers };
    let body: string;
    if (reply.body !== undefined) {
      body = reply.body;
      headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
    } else {
      body = `${JSON.stringify(reply.json ?? null)}\n`;
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(reply.status ?? 200, headers);
    res.end(body);
  }

  async #dispatch(method: string, path: string, req: IncomingMessage): Promise<Reply> {
    const matching: [Endpoint, string[]][] = [];
    for (const endpoint of this.#options.endpoints) {
      if (typeof endpoint.path === 'string') {
        if (endpoint.path === path) matching.push([endpoint, []]);
        continue;
      }
      const m = endpoint.path.exec(path);
      if (m) matching.push([endpoint, m.slice(1).map(decodeParam)]);
    }
    if (matching.length === 0) throw adminError('EVR_ERR_ADMIN_NOT_FOUND', `no admin endpoint ${path} (docs/guides/operations.md lists them)`);
    const found = matching.find(([e]) => e.method === method);
    if (!found) {
      const allow = [...new Set(matching.map(([e]) => e.method))].join(', ');
      throw adminError('EVR_ERR_ADMIN_METHOD_NOT_ALLOWED', `${method} ${path} is not allowed; use ${allow}`, { context: { allow } });
    }
    const [endpoint, params] = found;
    if (!endpoint.readsBody) req.resume(); // discard a body nobody reads
    if (endpoint.mutating) this.#authorize(req);
    if (!endpoint.readsBody) return endpoint.handle(params);
    return endpoint.handle(params, await readBody(req, 1024 * 1024));
  }

  #authorize(req: IncomingMessage): void {
    if (!this.#tokenDigest) {
      throw adminError('EVR_ERR_ADMIN_TOKEN_NOT_SET', 'mutating admin requests are disabled: start the admin server with a token (admin.token in the run config)');
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m || !timingSafeEqual(digest(m[1]!), this.#tokenDigest)) {
      throw adminError('EVR_ERR_ADMIN_UNAUTHORIZED', 'this endpoint needs the header Authorization: Bearer <admin token> with the configured token');
    }
  }

  #errorReply(error: unknown, method: string, path: string): Reply {
    let code: string;
    let message: string;
    if (isEvrouteError(error)) {
      code = error.code;
      message = error.message;
    } else {
      this.#options.logger.error({ err: error, method, path }, 'admin endpoint failed');
      code = 'EVR_ERR_ADMIN_INTERNAL';
      message = 'the admin server failed while answering; see its log';
    }
    const status = Object.hasOwn(adminErrors, code) ? httpStatusOf[code as AdminErrorCode] : 500;
    const headers: Record<string, string> = {};
    if (code === 'EVR_ERR_ADMIN_UNAUTHORIZED') headers['www-authenticate'] = 'Bearer realm="evroute"';
    if (code === 'EVR_ERR_ADMIN_METHOD_NOT_ALLOWED' && isEvrouteError(error)) headers['allow'] = String(error.context['allow']);
    const body: ErrorBody = { error: { code, message } };
    return { status, json: body, headers };
  }
}

/** The request body as text; refuses more than `limit` bytes with EVR_ERR_ADMIN_OPTIONS_INVALID. */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw adminError('EVR_ERR_ADMIN_OPTIONS_INVALID', `request body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
