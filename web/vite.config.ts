import { defineConfig } from "vite";

// The API serves web/dist at / (EventSeries:Console:Root). `npm run dev` serves the sources on
// :5173 and passes the API's paths to a running system (VITE_API, default the README's :5000).
const api = process.env.VITE_API ?? "http://127.0.0.1:5000";

export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: {
    host: "127.0.0.1",
    proxy: {
      "/api": { target: api, changeOrigin: false },
      "/health": { target: api },
    },
  },
});
