// How every Lambda is bundled, shared by CDK (the function's asset) and the bundle benchmark,
// so the sizes and cold starts measured are the ones deployed.
import { fileURLToPath } from 'node:url';
import { type BuildOptions, buildSync } from 'esbuild';
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
  // Stack traces need the mappings and file names, not a copy of every source: without it
  // the maps (and a function's zip) are half the size and bundling ~10 % faster.
  sourcesContent: false,
  platform: 'node' as const,
  format: 'esm' as const,
  target: NODE_TARGET,
  mainFields: ['module', 'main'],
  // The AWS SDK is bundled (not taken from the runtime): smaller cold starts, pinned versions.
  external: [] as string[],
  banner: { js: ESM_REQUIRE_BANNER },
} satisfies BuildOptions;

/**
 * Files a function reads at run time, copied beside its bundle (functions/shared/cjk-font.ts
 * looks in the working directory, /var/task, first): the worker renders the archive's PDF
 * index with Noto Sans SC; the diagnostics function rasterises the radar with it.
 */
export const FUNCTION_FILES: Partial<Record<string, string[]>> = {
  worker: [
    fileURLToPath(
      new URL(
        '../node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
        import.meta.url,
      ),
    ),
  ],
};

/** The file Lambda loads (`index.handler`) inside a function's asset. */
export const HANDLER_FILE = 'index.mjs';

/**
 * One function's asset: `index.mjs` plus, with code splitting, a chunk per dynamic import
 * (exceljs, h3, QR codes, the image and OPRF libraries, the pinyin dictionary …), so a
 * library only some routes use is neither loaded nor compiled at cold start. CDK's
 * NodejsFunction writes one `--outfile`, which rules splitting out; hence this build.
 */
export function bundleFunction(entry: string, outdir: string, extra: BuildOptions = {}) {
  return buildSync({
    ...ESBUILD_OPTIONS,
    entryPoints: { index: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'error',
    ...extra,
  });
}
