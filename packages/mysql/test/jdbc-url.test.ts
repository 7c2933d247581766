import { describeConnection, parseJdbcUrl, redactUrl, toPoolOptions } from '@evroute/mysql';
import { describe, expect, it } from 'vitest';

describe('parseJdbcUrl', () => {
  it("reads the seed's mysql.url with the separate username and password keys", () => {
    const parsed = parseJdbcUrl('jdbc:mysql://pc-bp1ivlu7lykwyzx9x.rwlb.rds.aliyuncs.com:3306/shuxue', { user: 'zstt_server', password: 'pw' });
    expect(parsed).toEqual({
      host: 'pc-bp1ivlu7lykwyzx9x.rwlb.rds.aliyuncs.com', port: 3306, database: 'shuxue', user: 'zstt_server', password: 'pw', fallbackHosts: [], params: {},
    });
  });

  it('maps JDBC parameters (user, password, useSSL, sslMode, connectTimeout) and keeps the others', () => {
    expect(parseJdbcUrl('jdbc:mysql://localhost/config_db?user=a&password=b%26c&useSSL=true&serverTimezone=Asia/Shanghai&connectTimeout=3000')).toEqual({
      host: 'localhost', port: 3306, database: 'config_db', user: 'a', password: 'b&c', ssl: { rejectUnauthorized: false }, connectTimeout: 3000,
      fallbackHosts: [], params: { serverTimezone: 'Asia/Shanghai' },
    });
    expect(parseJdbcUrl('jdbc:mysql://h:1/d?sslMode=VERIFY_IDENTITY').ssl).toEqual({ rejectUnauthorized: true });
    expect(parseJdbcUrl('jdbc:mysql://h:1/d?sslMode=DISABLED&useSSL=true').ssl).toBeUndefined();
  });

  it('reads mysql:// and mariadb:// URLs, IPv6 hosts and failover lists', () => {
    expect(parseJdbcUrl('mysql://root:p%40ss@127.0.0.1:3307/db')).toMatchObject({ host: '127.0.0.1', port: 3307, user: 'root', password: 'p@ss', database: 'db' });
    expect(parseJdbcUrl('mariadb://[::1]:3306')).toMatchObject({ host: '::1', port: 3306 });
    expect(parseJdbcUrl('jdbc:mysql://h1:3306,h2:3307/db')).toMatchObject({ host: 'h1', fallbackHosts: ['h2:3307'] });
  });

  it('refuses what is not a MySQL URL, without showing the password', () => {
    for (const url of ['postgres://u:secret@h/db', 'jdbc:mysql://', 'jdbc:mysql://h:99999/db', 'mysql://u:secret@h:x/db']) {
      let error: unknown;
      try {
        parseJdbcUrl(url);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'EVR_ERR_MYSQL_INVALID_URL', retriable: false });
      expect((error as Error).message).not.toContain('secret');
    }
  });
});

describe('redaction and pool options', () => {
  it('redacts passwords in user-info and parameters', () => {
    expect(redactUrl('mysql://root:secret@h:3306/db')).toBe('mysql://root:***@h:3306/db');
    expect(redactUrl('jdbc:mysql://h/db?user=a&password=secret&x=1')).toBe('jdbc:mysql://h/db?user=a&password=***&x=1');
    expect(describeConnection({ url: 'mysql://root:secret@h/db' })).not.toContain('secret');
    expect(describeConnection({ host: 'h', user: 'u', password: 'secret', database: 'd' })).toBe('u@h:3306/d');
  });

  it('builds small, bounded, UTC pools; explicit fields and driver options win over the URL', () => {
    const options = toPoolOptions({ url: 'jdbc:mysql://h:3306/a?user=x', database: 'b', driver: { connectionLimit: 8 } });
    expect(options).toMatchObject({ host: 'h', port: 3306, user: 'x', database: 'b', connectionLimit: 8, queueLimit: 64, timezone: 'Z', multipleStatements: false });
    expect(() => toPoolOptions({})).toThrow(/url/);
  });
});
