import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    setupFiles: ["test/support/environment.ts"],
    // Test files use their own databases and emulators, so they can run side by side.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
