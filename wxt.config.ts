import { defineConfig } from 'wxt';

// The extension's manifest is assembled here so that every permission it asks for is visible in
// one place and reviewed as a whole (least privilege: see README "Permissions").
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  // WXT resolves publicDir from the project root, not srcDir; locales live with the extension.
  publicDir: 'extension/public',
  modules: ['@wxt-dev/module-svelte'],
  manifest: {
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'zh_CN',
    permissions: ['storage'],
  },
});
