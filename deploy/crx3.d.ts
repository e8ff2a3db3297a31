// crx3 ships no types: what deploy/crx.ts uses of it.
declare module 'crx3' {
  interface Crx3Options {
    keyPath: string;
    crxPath: string;
    xmlPath?: string;
    crxURL?: string;
  }
  /** Packs the files (a manifest.json path stands for its folder); resolves with the extension id. */
  export default function crx3(files: string[], options: Crx3Options): Promise<{ appId: string }>;
}
