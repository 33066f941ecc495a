/**
 * Bundles the sandboxed preload with the channel list into one CommonJS file,
 * dist/preload/preload.cjs (a sandboxed preload can require only `electron`).
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist/preload',
    emptyOutDir: true,
    target: 'chrome140',
    minify: false,
    sourcemap: false,
    lib: {
      entry: 'src-main/electron/preload.cts',
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rolldownOptions: {
      external: ['electron'],
    },
  },
});
