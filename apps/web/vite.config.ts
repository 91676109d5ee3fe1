import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Where `npm run dev` sends /graphql (HTTP and WebSocket) and /api: a running Meshery server. */
const serverUrl = process.env['MESHERY_URL'] ?? 'http://127.0.0.1:9081';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // ECharts alone is ~600 kB minified; it is loaded only by the pages with charts.
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // Name the big libraries' chunks after them.
        advancedChunks: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            { name: 'apollo', test: /node_modules[\\/](@apollo|graphql|graphql-ws|rxjs|@wry|optimism|tslib|@graphql-typed-document-node)[\\/]/ },
          ],
        },
      },
      onwarn(warning, warn) {
        // hdr-histogram-js reaches Node's zlib through eval only when it runs in Node; browsers use its bundled pako.
        if (warning.code === 'EVAL' && warning.id?.includes('hdr-histogram-js')) return;
        warn(warning);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/graphql': { target: serverUrl, ws: true, changeOrigin: true },
      '/api': { target: serverUrl, changeOrigin: true },
    },
  },
  preview: {
    host: '127.0.0.1',
    proxy: {
      '/graphql': { target: serverUrl, ws: true, changeOrigin: true },
      '/api': { target: serverUrl, changeOrigin: true },
    },
  },
});
