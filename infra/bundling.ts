// How every Lambda is bundled, shared by CDK (NodejsFunction) and the bundle benchmark,
// so the sizes and cold starts measured are the ones deployed.
import { fileURLToPath } from 'node:url';
import type { Capability } from '../schemas/route.ts';

export const NODE_TARGET = 'node24';

export const handlerEntry = (capability: Capability | string) =>
  fileURLToPath(new URL(`../functions/${capability}/handler.ts`, import.meta.url));

/** ESM output needs `require` for the few CommonJS dependencies bundled into it. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export const ESBUILD_OPTIONS = {
  bundle: true,
  minify: true,
  sourcemap: true,
  platform: 'node' as const,
  format: 'esm' as const,
  target: NODE_TARGET,
  mainFields: ['module', 'main'],
  // The AWS SDK is bundled (not taken from the runtime): smaller cold starts, pinned versions.
  external: [] as string[],
  banner: { js: ESM_REQUIRE_BANNER },
};
