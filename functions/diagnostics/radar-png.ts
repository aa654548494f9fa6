// The radar as PNG (E4, `GET /diagnostics/radar.png`): the SVG rasterised by resvg (its
// WebAssembly build: no native binary to match the Lambda's architecture) with Noto Sans SC
// loaded as the only font, so the Chinese labels draw the same everywhere. Both files are
// read once per container; a chart costs a few tens of milliseconds.
import { readFile } from 'node:fs/promises';
import { besideOrPackage, CJK_FONT_FAMILY, cjkFontPath } from '../shared/cjk-font.ts';

let ready: Promise<void> | undefined;
let font: Promise<Buffer> | undefined;

export async function svgToPng(svg: string, width = 800): Promise<Buffer> {
  const { initWasm, Resvg } = await import('@resvg/resvg-wasm');
  ready ??= readFile(besideOrPackage('index_bg.wasm', '@resvg/resvg-wasm/index_bg.wasm'))
    .then((wasm) => initWasm(wasm))
    .catch((error: unknown) => {
      // The package initialises its WebAssembly once a process and refuses a second call: a
      // process that evaluates this module again (test files share one, vitest.config.ts)
      // finds it ready.
      if (!String(error).includes('Already initialized')) throw error;
    });
  font ??= readFile(cjkFontPath());
  await ready;
  const chart = new Resvg(svg, {
    font: {
      fontBuffers: [new Uint8Array(await font)],
      defaultFontFamily: CJK_FONT_FAMILY,
      loadSystemFonts: false,
    },
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
  });
  return Buffer.from(chart.render().asPng());
}
