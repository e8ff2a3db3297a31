/** The review page's places: a new request, one batch (#batch/<id>), drafting it again, the register, settings. */
export type ReviewRoute =
  | { page: 'new' }
  | { page: 'register' }
  | { page: 'settings' }
  | { page: 'batch'; id: string }
  | { page: 'redraft'; id: string };

export function reviewRoute(hash: string): ReviewRoute {
  const m = /^#(batch|redraft)\/(.+)$/.exec(hash);
  if (m) return { page: m[1] as 'batch' | 'redraft', id: decodeURIComponent(m[2]!) };
  if (hash === '#register') return { page: 'register' };
  if (hash === '#settings') return { page: 'settings' };
  return { page: 'new' };
}
