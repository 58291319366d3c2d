import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` serves the app and proxies the API to a running `anjoman` (make run).
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': process.env.ANJOMAN_URL ?? 'http://127.0.0.1:8080',
      '/healthz': process.env.ANJOMAN_URL ?? 'http://127.0.0.1:8080',
    },
  },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 2000 },
  test: { include: ['src/**/*.test.ts', 'src/**/*.test.tsx'], environment: 'node' },
});
