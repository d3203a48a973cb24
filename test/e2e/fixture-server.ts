// Serves fixture pages on 127.0.0.1, the only origin the e2e build's content script matches
// besides HighLevel's real hosts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureServer {
  /** For example `http://127.0.0.1:41234`. */
  origin: string;
  close(): Promise<void>;
}

/** Serves each path's HTML on a random free port; unknown paths get 404. */
export async function serveFixtures(pages: Record<string, string>): Promise<FixtureServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const body = pages[path];
    if (body === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`no fixture at ${path}`);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
