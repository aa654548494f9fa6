// The Chinese font the product draws with (the archive's PDF index, the radar's PNG): Noto
// Sans SC from a pinned npm package (@expo-google-fonts/noto-sans-sc, OFL). A Lambda bundle
// carries the TTF beside its code (infra/bundling.ts, FUNCTION_FILES); locally it is read
// from node_modules. ARCHIVE_FONT_PATH names another file.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const CJK_FONT_FILE = 'NotoSansSC_400Regular.ttf';
const FONT_MODULE = `@expo-google-fonts/noto-sans-sc/400Regular/${CJK_FONT_FILE}`;
export const CJK_FONT_FAMILY = 'Noto Sans SC';

/** A file the bundle carries beside its code, else the package's own (local runs, tests). */
export function besideOrPackage(file: string, moduleId: string): string {
  const beside = join(process.cwd(), file);
  if (existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve(moduleId);
}

export function cjkFontPath(): string {
  const configured = process.env.ARCHIVE_FONT_PATH;
  if (configured && existsSync(configured)) return configured;
  return besideOrPackage(CJK_FONT_FILE, FONT_MODULE);
}
