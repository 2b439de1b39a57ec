import { configDefaults, defineConfig } from 'vitest/config';

const ONLY_ON_THE_FIRST_PASS = ['test/delivery/workers.test.ts', 'test/commentary/real-history.test.ts', 'test/analysis/real-history.test.ts', 'test/commentary/stories.test.ts'];

/**
 * The fast tier (`npm run test:unit`): pure code in one process, no server, no database, no child
 * process, no browser: the analysis, the commentary, the policies, the config and the code's shape.
 * The real-history files are pure too but take minutes, so they run with the integration tier.
 */
export const UNIT = [
  'test/analysis/returns.test.ts',
  'test/analysis/rules.test.ts',
  'test/commentary/frames.test.ts',
  'test/commentary/helpers.test.ts',
  'test/commentary/realise/*.test.ts',
  'test/commentary/story-rules.test.ts',
  'test/commentary/truth.test.ts',
  'test/config/*.test.ts',
  'test/delivery/policy.test.ts',
  'test/delivery/proof.test.ts',
  'test/market/calendar.test.ts',
  'test/market/demo.test.ts',
  'test/render/view-parts.test.ts',
  'test/errors.test.ts',
  'test/stages.test.ts',
];

// The PostgreSQL pass runs what touches a database. The workers' test is on PostgreSQL whatever
// TEST_DATABASE says, and the real-history files compute on closes alone (a third of the suite's time):
// the first pass runs them, and repeating them would only add minutes.
const exclude = [...configDefaults.exclude, ...(process.env['TEST_DATABASE'] === 'postgres' ? ONLY_ON_THE_FIRST_PASS : [])];

export default defineConfig({
  test: {
    globalSetup: ['test/setup/postgres.ts', 'test/setup/clean-checkout.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // `npm test` runs both tiers; `--project unit` or `--project integration` one of them.
    projects: [
      // Pure modules need no fresh process per file: one shared module graph loads them once.
      { extends: true, test: { name: 'unit', include: UNIT, exclude, pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...exclude, ...UNIT] } },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'jobs/**/*.ts'],
      reporter: ['text-summary'],
      // The floor sits just under what the suite covers (86% of statements in November 2026): a change
      // that adds code without tests fails here. Code run only in child processes (the CLI) is not counted.
      thresholds: { statements: 85, branches: 79, functions: 86, lines: 86 },
    },
  },
});
