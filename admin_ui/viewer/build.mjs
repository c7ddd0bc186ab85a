// One command (`node build.mjs`, run by scripts/setup.sh) bundles the viewer into dist/:
//   viewer.js (+ chunks)        the page's module, imported only by pages that show images
//   decodeImageFrameWorker.js   the DICOM decoding worker the image loader starts
//   *.wasm                      codecs, fetched by the worker only when a compressed frame needs one
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

// The /ui CSP refuses style attributes; Cornerstone's text boxes set one with setAttribute. The same
// declarations through the CSSOM (element.style) are allowed, so the build rewrites that one call.
const cspSafe = {
  name: 'csp-safe-styles',
  setup(b) {
    b.onLoad({ filter: /drawingSvg[\\/]drawTextBox\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const call = "textElement.setAttribute('style', combinedStyle);";
      if (!source.includes(call)) throw new Error('drawTextBox.js changed: review the CSP rewrite');
      return { contents: source.replace(call, 'textElement.style.cssText = combinedStyle;'), loader: 'js' };
    });
  },
};

const dist = new URL('./dist/', import.meta.url).pathname;
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const common = { bundle: true, format: 'esm', minify: true, target: 'es2020', legalComments: 'none', logLevel: 'warning',
  // Node-only branches of the codecs' emscripten glue and of a dependency; never taken in a browser.
  external: ['fs', 'path', 'module', 'crypto', 'worker_threads'],
  alias: { xmlbuilder2: './src/no-xml.js' }, plugins: [cspSafe] };
await build({ ...common, entryPoints: ['src/viewer.js'], outdir: dist, splitting: true, chunkNames: 'chunk-[hash]' });
await build({
  ...common,
  entryPoints: ['node_modules/@cornerstonejs/dicom-image-loader/dist/esm/decodeImageFrameWorker.js'],
  outfile: `${dist}decodeImageFrameWorker.js`,
});
const wasm = {
  'codec-charls/dist/charlswasm_decode.wasm': 'charlswasm_decode.wasm',
  'codec-openjpeg/dist/openjpegwasm_decode.wasm': 'openjpegwasm_decode.wasm',
  'codec-libjpeg-turbo-8bit/dist/libjpegturbowasm_decode.wasm': 'libjpegturbowasm_decode.wasm',
  'codec-openjph/dist/openjphjs.wasm': 'openjphjs.wasm',
  'codec-libjxl/dist/jpegxlwasm_decode.wasm': 'jpegxlwasm_decode.wasm',
};
for (const [from, to] of Object.entries(wasm)) copyFileSync(`node_modules/@cornerstonejs/${from}`, dist + to);
