/** The shared e2e harness: the built extension in headless Chromium, the real server, tokens. */
export * from './extension.ts';
export * from './server.ts';
export * from './officers.ts';
export { nodeWorkspace } from './seed.ts';
