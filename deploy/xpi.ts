import { createWriteStream, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ZipFile } from 'yazl';

/**
 * The Firefox package: an XPI is a zip of the unpacked build with manifest.json at its root.
 * Unsigned, it installs only where signatures are not required (Firefox ESR or Developer Edition
 * with xpinstall.signatures.required=false, set by the generated policies.json); release Firefox
 * needs it signed by Mozilla first (README, "Deployment").
 */
export function packXpi(dir: string, xpiPath: string): Promise<void> {
  const zip = new ZipFile();
  const add = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) add(full);
      else zip.addFile(full, relative(dir, full).split(sep).join('/'));
    }
  };
  add(dir);
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(xpiPath)).on('close', resolve).on('error', reject);
    zip.outputStream.on('error', reject);
  });
}
