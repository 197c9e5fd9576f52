import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The files the page is made of: our HTML, script and stylesheet beside this module, and
 * Chart.js's self-contained UMD build from node_modules — everything served by the dashboard
 * itself, so the page works offline (no CDN, no web fonts).
 *
 * Chart.js over uPlot: uPlot's build is smaller (51 kB vs 209 kB minified, 22 kB vs 71 kB
 * gzipped — measured on chart.js 4.5.1 and uplot 1.6.32), but it has no stacked bars,
 * horizontal bars or tooltips of its own; those would be ours to write. On a page served from
 * the same machine the 50 kB difference costs nothing noticeable.
 */

/** One servable file: its URL path, where it is on disk, and its content type. */
export interface Asset {
  path: string;
  file: string;
  type: string;
  /** Library files never change under a running server; ours may while developing. */
  immutable: boolean;
}

/** A file the page needs is missing (node_modules not installed). */
export class MissingAssetError extends Error {
  constructor(readonly file: string, hint: string) {
    super(`${file} is missing: ${hint}`);
    this.name = "MissingAssetError";
  }
}

const PAGE_DIR = join(import.meta.dir, "page");

/** Where Chart.js's UMD build is (its package exports do not list it, so go by the main file). */
export function chartJsFile(): string {
  let main: string;
  try {
    main = Bun.resolveSync("chart.js", import.meta.dir);
  } catch (error) {
    throw new MissingAssetError("node_modules/chart.js", "run `bun install` (or `just setup`)");
  }
  return join(dirname(main), "chart.umd.min.js");
}

/** The page's files by URL path; throws MissingAssetError when one is not on disk. */
export function pageAssets(): Map<string, Asset> {
  const assets: Asset[] = [
    { path: "/", file: join(PAGE_DIR, "index.html"), type: "text/html; charset=utf-8", immutable: false },
    ...["app.js", "charts.js", "format.js"].map((name) => ({
      path: `/${name}`,
      file: join(PAGE_DIR, name),
      type: "text/javascript; charset=utf-8",
      immutable: false,
    })),
    { path: "/style.css", file: join(PAGE_DIR, "style.css"), type: "text/css; charset=utf-8", immutable: false },
    { path: "/vendor/chart.umd.min.js", file: chartJsFile(), type: "text/javascript; charset=utf-8", immutable: true },
  ];
  for (const asset of assets) {
    if (!existsSync(asset.file)) throw new MissingAssetError(asset.file, "run `bun install` (or `just setup`)");
  }
  return new Map(assets.map((asset) => [asset.path, asset]));
}
