// The admin API client: typed answers, the server's error codes passed through, and a clear error when
// nothing answers or the answer is not the admin API.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@evroute/testkit';
import { createAdmin, createAdminClient, type Admin } from '@evroute/admin';
import { startRouter, type Fixture } from './fixtures/router.js';

const TOKEN = 'client-token-123456';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function running(): Promise<{ admin: Admin; fx: Fixture }> {
  const fx = await startRouter();
  const admin = createAdmin({ router: fx.router, metrics: fx.metrics, port: 0, token: TOKEN });
  await admin.start();
  cleanups.push(async () => {
    await admin.close();
    await fx.router.stop();
  });
  return { admin, fx };
}

/** A free port with nothing listening on it. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('admin client', () => {
  it('reads status, routes, plugins, breakers, alerts and readiness', async () => {
    const { admin, fx } = await running();
    fx.send('order_paid', 2);
    await waitFor(() => fx.router.stats().acknowledged === 2);
    const client = createAdminClient({ url: admin.url! });
    expect((await client.status()).stats.acknowledged).toBe(2);
    expect((await client.routes()).routes.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect((await client.plugins()).registered.map((p) => `${p.name}@${p.version}`)).toEqual(expect.arrayContaining(['echo@1.2.0', 'flaky@2.0.0']));
    expect((await client.breakers()).breakers).toEqual([{ route: '1', plugin: 'echo@1.2.0', state: 'closed' }]);
    expect((await client.alerts()).alerts).toHaveLength(5);
    expect(await client.ready()).toMatchObject({ ready: true });
  });

  it('pauses, resumes and reloads with the token, and passes the server error code through without it', async () => {
    const { admin, fx } = await running();
    await expect(createAdminClient({ url: admin.url! }).pause('1')).rejects.toMatchObject({ code: 'EVR_ERR_ADMIN_UNAUTHORIZED', context: { status: 401 } });
    const client = createAdminClient({ url: `${admin.url!}/`, token: TOKEN });
    expect(await client.pause('1')).toEqual({ route: '1', paused: true });
    expect(fx.router.pausedRoutes()).toEqual(['1']);
    expect(await client.resume('1')).toEqual({ route: '1', paused: false });
    const reloaded = await client.reload();
    expect(reloaded).toEqual({ reloaded: true, outcome: 'applied', version: fx.router.table().version });
    await expect(client.pause('no/such route')).rejects.toMatchObject({ code: 'EVR_ERR_ADMIN_ROUTE_UNKNOWN' });
  });

  it('rejects with EVR_ERR_ADMIN_UNREACHABLE when nothing listens', async () => {
    const client = createAdminClient({ url: `http://127.0.0.1:${await deadPort()}` });
    await expect(client.status()).rejects.toMatchObject({ code: 'EVR_ERR_ADMIN_UNREACHABLE', retriable: true, message: expect.stringContaining('ECONNREFUSED') });
  });

  it('rejects with EVR_ERR_ADMIN_BAD_RESPONSE when the server is not the admin API', async () => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const client = createAdminClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    await expect(client.routes()).rejects.toMatchObject({ code: 'EVR_ERR_ADMIN_BAD_RESPONSE' });
    expect(() => createAdminClient({ url: 'not a url' })).toThrow(expect.objectContaining({ code: 'EVR_ERR_ADMIN_OPTIONS_INVALID' }));
  });
});
