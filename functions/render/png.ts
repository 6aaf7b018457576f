/**
 * SVG → PNG on the server, for the committee report (Word shows PNG everywhere; SVG only in recent versions). Uses
 * resvg compiled to WebAssembly (@resvg/resvg-wasm: no native build, runs on Node and Lambda alike) with the DejaVu
 * Sans fonts from the dejavu-fonts-ttf package, so text renders the same on any machine (no system fonts needed).
 * Charts name "Arial, Helvetica, sans-serif"; DejaVu Sans stands in for them (slightly wider: the chart code leaves
 * room for that).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

const require = createRequire(import.meta.url);
let ready: Promise<Uint8Array[]> | undefined;

async function load(): Promise<Uint8Array[]> {
  const wasm = await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
  await initWasm(wasm);
  const dir = require.resolve('dejavu-fonts-ttf/package.json').replace(/package\.json$/, 'ttf/');
  return Promise.all(
    ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map(async (f) => new Uint8Array(await readFile(dir + f))),
  );
}

/** Render an SVG string to PNG bytes at `width` pixels wide (height keeps the aspect ratio). */
export async function svgToPng(svg: string, width: number): Promise<Buffer> {
  ready ??= load();
  const fontBuffers = await ready.catch((e) => {
    ready = undefined;
    throw e;
  });
  const r = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: { fontBuffers, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  try {
    return Buffer.from(r.render().asPng());
  } finally {
    r.free();
  }
}
