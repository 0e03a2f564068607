import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The console's build: `console/` in, `console/dist` out (served by the local runtime and S3). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // No inline script or style is emitted: the Content-Security-Policy forbids them.
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, modulePreload: { polyfill: false } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: { fs: { allow: ['..'] } },
});
