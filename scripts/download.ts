#!/usr/bin/env bun
/**
 * `just download`: fetches the reference Kaggle dataset into data/ when Kaggle credentials and
 * network exist; otherwise fails at once and points at `just generate`.
 */
import { relative } from "node:path";
import { parseCli } from "../lib/cli/args.ts";
import { formatBytes } from "../lib/cli/format.ts";
import { downloadDataset, findKaggleCredentials, KAGGLE_DATASET, KaggleError, missingCredentialsMessage } from "../lib/events/kaggle.ts";
import { paths } from "../lib/paths.ts";

const HELP = `Usage: bun scripts/download.ts [--out-dir DIR] [--force] [--timeout SECONDS]

Downloads the Kaggle dataset ${KAGGLE_DATASET}
("eCommerce events history in electronics store", ~885k events) and extracts it.

Credentials, as the kaggle CLI reads them: KAGGLE_USERNAME + KAGGLE_KEY, else
$KAGGLE_CONFIG_DIR/kaggle.json or ~/.kaggle/kaggle.json. Without credentials or network it
stops at once; \`just generate\` writes a synthetic file with the same shape instead.

Options:
  --out-dir DIR       where to extract (default ${relative(process.cwd(), paths.data) || paths.data})
  --force             replace files that already exist there
  --timeout SECONDS   how long to wait for Kaggle to answer (default 15)
  -h, --help          this text

Prints the extracted paths on stdout. Exit codes: 0 downloaded, 1 could not, 2 bad arguments.`;

function fail(message: string, code: number): never {
  console.error(`download: ${message}`);
  process.exit(code);
}

const { values } = parseCli("download", HELP, {
  options: {
    "out-dir": { type: "string", default: paths.data },
    force: { type: "boolean", default: false },
    timeout: { type: "string", default: "15" },
    help: { type: "boolean", short: "h", default: false },
  },
});
const timeout = Number(values.timeout);
if (!(timeout > 0)) fail(`--timeout: expected seconds > 0, got '${values.timeout}'`, 2);

try {
  const credentials = findKaggleCredentials();
  if (credentials === undefined) fail(missingCredentialsMessage(), 1);
  // process.stderr.write, not console.error: Bun paints console.error red on a terminal.
  const say = (text: string) => process.stderr.write(`download: ${text}\n`);
  say(`fetching ${KAGGLE_DATASET} with the credentials from ${credentials.source}`);
  let shown = 0;
  const written = await downloadDataset({
    credentials,
    outDir: values["out-dir"],
    force: values.force,
    timeoutMs: timeout * 1000,
    onProgress: (bytes, total) => {
      if (bytes - shown < 8_000_000) return;
      shown = bytes;
      say(`${formatBytes(bytes)}${total ? ` of ${formatBytes(total)}` : ""}`);
    },
  });
  for (const path of written) console.log(path);
  say(`extracted ${written.length} file(s) into ${values["out-dir"]}`);
} catch (error) {
  fail(error instanceof KaggleError ? error.message : `${(error as Error).message}`, 1);
}
