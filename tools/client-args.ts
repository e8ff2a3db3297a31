import type { Locale } from '../core/model/i18n.ts';

/**
 * The options every command that works as a client of the running server takes (import, review):
 * where the server is, the token (never printed), the language of the output, JSON output.
 */
export const CLIENT_OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
  locale: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Server and token from the options, else DOSSIER_LENS_SERVER / DOSSIER_LENS_TOKEN; Chinese unless --locale en. */
export function clientArgs(values: {
  server?: string | undefined;
  token?: string | undefined;
  locale?: string | undefined;
}) {
  const locale: Locale = values.locale === 'en' ? 'en' : 'zh-CN';
  return {
    locale,
    serverUrl: values.server ?? process.env.DOSSIER_LENS_SERVER ?? 'ws://127.0.0.1:1234',
    token: values.token ?? process.env.DOSSIER_LENS_TOKEN,
  };
}

/** Where a command's report goes unless a test collects it. */
export const printLine = (line: string): void => void process.stdout.write(line + '\n');
