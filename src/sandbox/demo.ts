/**
 * The sandbox's job duration when a person runs it (`npm start` in sandbox mode, `npm run sandbox`): long enough that
 * an import watched in GraphiQL (a subscription polls about once a second) shows several states before it is done.
 * Tests start the sandbox with a short duration of their own.
 */
export const DEMO_JOB_DURATION_MS = 8_000;
