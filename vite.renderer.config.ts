import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The renderer: a static bundle loaded by Electron (custom protocol) or the preview host. */
export default defineConfig({
  root: here('./src-renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2023',
    sourcemap: true,
    // pdf.js alone is ~1 MB; it is loaded lazily with the document detail.
    chunkSizeWarningLimit: 1500,
  },
});
