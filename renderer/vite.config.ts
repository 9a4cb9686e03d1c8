import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is a static page loaded from file:// in Electron and from the loopback preview
// server in tests: relative asset paths, no dev-time network access, output in dist/renderer.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
  },
});
