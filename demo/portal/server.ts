import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateCity, type DemoOptions } from '../../core/demo/city.ts';
import type { Cadre, Unit } from '../../core/model/schemas.ts';
import { indexPage, profilePage, rosterPage, spaPage, unitsPage } from './pages.ts';

/**
 * The demo portal: a tiny HTTP server on loopback serving the legacy-style pages over the demo
 * city's roster (the same seed as the data loaded into the sync server, so the names match).
 */

export interface RunningPortal {
  url: string;
  port: number;
  close(): Promise<void>;
}

const PAGE_SIZE = 20;

export async function startPortal(
  opts: { port?: number; host?: string; city?: DemoOptions } = {},
): Promise<RunningPortal> {
  const city = generateCity(opts.city);
  const units = new Map<string, Unit>(city.units.map((u) => [u.code, u]));
  const cadres = new Map<string, Cadre>(city.cadres.map((c) => [c.id, c]));
  const counts = new Map<string, number>();
  for (const c of city.cadres) counts.set(c.unitCode, (counts.get(c.unitCode) ?? 0) + 1);
  const unitName = (code: string) => units.get(code)?.name ?? code;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://portal');
    const html = (status: number, body: string | Uint8Array, charset = 'utf-8') => {
      res.writeHead(status, { 'content-type': `text/html; charset=${charset}`, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return html(405, 'method not allowed');
    switch (url.pathname) {
      case '/':
      case '/index.html':
        return html(200, indexPage(city.units, city.cadres));
      case '/units.html':
        return html(200, unitsPage(city.units, counts));
      case '/roster.html': {
        const code = url.searchParams.get('unit');
        const unit = code ? units.get(code) : undefined;
        if (code && !unit) return html(404, '无此单位');
        // The whole city's roster is long; without a unit the first 200 are shown, as legacy lists page.
        const list = unit ? city.cadres.filter((c) => c.unitCode === unit.code) : city.cadres.slice(0, 200);
        return html(200, rosterPage(list, unitName, unit), 'gbk');
      }
      case '/profile.html': {
        const c = cadres.get(url.searchParams.get('id') ?? '');
        return c ? html(200, profilePage(c, unitName(c.unitCode))) : html(404, '无此干部');
      }
      case '/spa.html':
        return html(200, spaPage());
      case '/api/cadres': {
        const pages = Math.ceil(city.cadres.length / PAGE_SIZE);
        const page = Math.min(pages, Math.max(1, Number(url.searchParams.get('page')) || 1));
        const rows = city.cadres
          .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
          .map((c) => ({ id: c.id, name: c.name, unit: unitName(c.unitCode), post: c.post }));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(JSON.stringify({ page, pages, rows }));
      }
      default:
        return html(404, 'not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
