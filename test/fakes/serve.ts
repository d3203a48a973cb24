import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DropConnection, type FakeService } from './core.ts';
import type { FakeHighLevel } from './highlevel.ts';
import type { FakeTwilio } from './twilio.ts';

export interface ServedFakes {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Use as Twilio's API origin: `${twilioBase}/2010-04-01/...`. */
  twilioBase: string;
  /** Use as HighLevel's API origin: `${highlevelBase}/contacts/...`. */
  highlevelBase: string;
  close(): Promise<void>;
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const asked = req.headers['access-control-request-headers'];
  return {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'access-control-allow-headers': asked ?? 'Authorization, Content-Type, Version, Accept',
    'access-control-expose-headers': 'Retry-After, Twilio-Request-Id',
    'access-control-max-age': '600',
    // Chrome's Private Network Access preflight, for pages reaching loopback.
    'access-control-allow-private-network': 'true',
    vary: 'Origin',
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Serves the fakes over real HTTP on loopback, for end-to-end tests and the
 * demo: Twilio under /twilio, HighLevel under /highlevel, with permissive
 * CORS so the extension's service worker can call them. Each fake's own fetch
 * also accepts the served URLs while the server runs.
 */
export async function serveFakes(
  fakes: { twilio?: FakeTwilio; highlevel?: FakeHighLevel },
  opts: { host?: '127.0.0.1'; port?: number } = {},
): Promise<ServedFakes> {
  const host = opts.host ?? '127.0.0.1';
  const mounts: [string, FakeService | undefined][] = [
    ['/twilio', fakes.twilio as unknown as FakeService | undefined],
    ['/highlevel', fakes.highlevel as unknown as FakeService | undefined],
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const cors = corsHeaders(req);
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const mount = mounts.find(([prefix]) => url.pathname.startsWith(`${prefix}/`));
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    const fake = mount?.[1];
    if (!mount || !fake) {
      res.writeHead(404, { ...cors, 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: `no fake is served at ${url.pathname}; use /twilio/... or /highlevel/...`,
        }),
      );
      return;
    }
    const aborted = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort(new Error('client went away'));
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    try {
      const answer = await fake.dispatch(
        {
          method: req.method ?? 'GET',
          path: url.pathname.slice(mount[0].length),
          search: url.search,
          headers,
          body: await readBody(req),
        },
        aborted.signal,
      );
      res.writeHead(answer.status, { ...cors, ...answer.headers }).end(answer.body);
    } catch (err) {
      if (err instanceof DropConnection) {
        req.socket.destroy();
        return;
      }
      if (aborted.signal.aborted) return;
      res
        .writeHead(500, { ...cors, 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `fake crashed: ${(err as Error).message}` }));
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  const twilioBase = `${url}/twilio`;
  const highlevelBase = `${url}/highlevel`;
  const bases: [FakeService | undefined, string][] = [
    [mounts[0]?.[1], twilioBase],
    [mounts[1]?.[1], highlevelBase],
  ];
  for (const [fake, base] of bases) fake?.addServedBase(base);

  return {
    url,
    twilioBase,
    highlevelBase,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const [fake, base] of bases) fake?.removeServedBase(base);
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
