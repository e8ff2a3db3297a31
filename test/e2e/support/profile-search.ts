import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * A byte search over every file of a browser profile, for "nothing readable at rest": each text
 * in UTF-8, UTF-16LE and UTF-16BE (LevelDB and IndexedDB files keep strings either way). Returns
 * the hits as `text @ file`.
 */
export function searchProfile(dir: string, texts: readonly string[]): string[] {
  const needles = texts.flatMap((text) => {
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    return [Buffer.from(text, 'utf8'), le, be].map((bytes) => ({ text, bytes }));
  });
  const hits = new Set<string>();
  const walk = (path: string) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return; // a lock file or socket that went away meanwhile
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
      return;
    }
    if (!stat.isFile()) return;
    const content = readFileSync(path);
    for (const { text, bytes } of needles) if (content.includes(bytes)) hits.add(`${text} @ ${relative(dir, path)}`);
  };
  walk(dir);
  return [...hits].sort();
}
