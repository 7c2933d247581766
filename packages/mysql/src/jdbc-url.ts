/**
 * Parsing of connection URLs: `mysql://`, `mariadb://` and the seed's JDBC form
 * `jdbc:mysql://host:port/db?user=…&password=…&useSSL=…` (`mysql.url` of `application.properties`),
 * and redaction of the password for logs.
 */
import { mysqlError } from './errors.js';

/** The parts of a MySQL URL that mysql2 understands. */
export interface ParsedMySqlUrl {
  readonly host: string;
  readonly port: number;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
  /** From `useSSL=true` or `sslMode=REQUIRED|VERIFY_CA|VERIFY_IDENTITY`; certificates are verified only for VERIFY_*. */
  readonly ssl?: { readonly rejectUnauthorized: boolean };
  /** From `connectTimeout` (ms). */
  readonly connectTimeout?: number;
  /** Further hosts of a JDBC failover list (`jdbc:mysql://h1,h2/db`); mysql2 connects to `host` only. */
  readonly fallbackHosts: readonly string[];
  /** Query parameters with no mysql2 equivalent (e.g. `serverTimezone`, `characterEncoding`), kept for the caller. */
  readonly params: Readonly<Record<string, string>>;
}

const URL_SHAPE = /^(?:jdbc:)?(?:mysql|mariadb):\/\/(?:([^@/?#]*)@)?([^/?#]*)(?:\/([^?#]*))?(?:\?([^#]*))?(?:#.*)?$/i;

function decode(part: string, url: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw mysqlError('EVR_ERR_MYSQL_INVALID_URL', `bad percent-encoding in ${redactUrl(url)}`);
  }
}

function hostPort(address: string, url: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(address);
  if (!match?.[1]) throw mysqlError('EVR_ERR_MYSQL_INVALID_URL', `cannot read host[:port] "${address}" in ${redactUrl(url)}`);
  const port = match[2] === undefined ? 3306 : Number(match[2]);
  if (port < 1 || port > 65535) throw mysqlError('EVR_ERR_MYSQL_INVALID_URL', `port ${port} is out of range in ${redactUrl(url)}`);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

/**
 * Parses `jdbc:mysql://host[:port][,host2…]/database?params`, `mysql://user:pass@host:port/db` or
 * `mariadb://…`. Credentials come from the user-info part or the `user` / `password` parameters;
 * `overrides` (the seed's separate `mysql.username` / `mysql.password` keys) win over both. Throws
 * `EVR_ERR_MYSQL_INVALID_URL` (the message shows the URL with its password redacted).
 */
export function parseJdbcUrl(url: string, overrides: { user?: string; password?: string } = {}): ParsedMySqlUrl {
  const match = URL_SHAPE.exec(url.trim());
  if (!match) {
    throw mysqlError(
      'EVR_ERR_MYSQL_INVALID_URL',
      `"${redactUrl(url)}" is not a MySQL URL: expected jdbc:mysql://host:port/database or mysql://user:password@host:port/database`,
    );
  }
  const [, userInfo, hostList = '', path = '', query = ''] = match;
  const addresses = hostList.split(',').map((h) => h.trim()).filter(Boolean);
  if (addresses.length === 0) throw mysqlError('EVR_ERR_MYSQL_INVALID_URL', `no host in ${redactUrl(url)}`);
  const [first, ...rest] = addresses.map((address) => hostPort(address, url));
  if (!first) throw mysqlError('EVR_ERR_MYSQL_INVALID_URL', `no host in ${redactUrl(url)}`);
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(query)) params[name] = value;
  const take = (name: string): string | undefined => {
    const value = params[name];
    delete params[name];
    return value;
  };
  let user = take('user');
  let password = take('password');
  if (userInfo !== undefined && userInfo !== '') {
    const colon = userInfo.indexOf(':');
    user = decode(colon < 0 ? userInfo : userInfo.slice(0, colon), url);
    if (colon >= 0) password = decode(userInfo.slice(colon + 1), url);
  }
  user = overrides.user ?? user;
  password = overrides.password ?? password;
  const useSsl = take('useSSL');
  const sslMode = take('sslMode')?.toUpperCase();
  const timeout = take('connectTimeout');
  const database = decode(path, url);
  let ssl: { rejectUnauthorized: boolean } | undefined;
  if (sslMode === 'VERIFY_CA' || sslMode === 'VERIFY_IDENTITY') ssl = { rejectUnauthorized: true };
  else if (sslMode === 'REQUIRED' || (sslMode === undefined && useSsl?.toLowerCase() === 'true')) ssl = { rejectUnauthorized: false };
  return {
    host: first.host,
    port: first.port,
    ...(database === '' ? {} : { database }),
    ...(user === undefined || user === '' ? {} : { user }),
    ...(password === undefined ? {} : { password }),
    ...(ssl === undefined ? {} : { ssl }),
    ...(timeout !== undefined && /^\d+$/.test(timeout) && Number(timeout) > 0 ? { connectTimeout: Number(timeout) } : {}),
    fallbackHosts: rest.map((h) => `${h.host}:${h.port}`),
    params,
  };
}

/**
 * The URL with any password replaced by `***` (in the user-info part and in `password=` parameters).
 * Use it whenever a URL is logged or put in an error message.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/^((?:jdbc:)?[a-z][a-z0-9+.-]*:\/\/[^:@/?#]*:)[^@/?#]*@/i, '$1***@')
    .replace(/([?&](?:password|password1|password2|password3)=)[^&#]*/gi, '$1***');
}
