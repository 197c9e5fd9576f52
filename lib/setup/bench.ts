import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../paths.ts";
import { hashFiles, sh } from "./shell.ts";
import { SetupError, type SetupStep } from "./step.ts";

/**
 * Where rdkafka_performance.c comes from. @confluentinc/kafka-javascript's tarball ships
 * librdkafka 2.15.1 without examples/; node-rdkafka's tarball ships the examples of the
 * librdkafka it bundles (2.12.0 for 3.6.1, the newest release). Pinned: a new release must be
 * a deliberate change (it changes the fingerprint and rebuilds).
 */
const NODE_RDKAFKA = "node-rdkafka@3.6.1";
/** npm itself when the machine has it; otherwise the npm package run by Bun (no Node.js needed). */
const NPM = () => (Bun.which("npm") ? ["npm"] : [process.execPath, "x", "--bun", "npm@10.9.3"]);
const EXAMPLE_IN_TARBALL = "package/deps/librdkafka/examples/rdkafka_performance.c";

/** For reports: what the rdkafka_performance binary was built from. */
export const RDKAFKA_PERFORMANCE_SOURCE =
  `examples/rdkafka_performance.c from the npm package ${NODE_RDKAFKA} (librdkafka 2.12.0's example), ` +
  "built in a copy of @confluentinc/kafka-javascript's librdkafka 2.15.1 source tree";

const SOURCES = join(paths.root, "node_modules", "@confluentinc", "kafka-javascript", "deps", "librdkafka");
/** The same ./configure flags as librdkafkaStep (tools.ts), so config.h matches the library's. */
const CONFIGURE_FLAGS = ["--enable-ssl", "--enable-sasl", "--enable-zstd", "--enable-lz4-ext", "--enable-curl", "--disable-gssapi"];

/**
 * librdkafka's own benchmark tool, the yardstick for `just bench-kafka`. The example includes
 * internal headers (`../src/rd.h`, `rdtime.h`, and through them `../config.h`, tinycthread, …),
 * so it is compiled inside a copy of the kafka-javascript librdkafka 2.15.1 tree, configured with
 * the library's flags, with the upstream examples/Makefile's compiler flags — but linked against
 * our shared .local/librdkafka (rpath set) instead of a static librdkafka.a, so it runs exactly
 * the library the binding loads. Only the one .c file is taken from the node-rdkafka tarball
 * (fetched with `npm pack`, integrity-checked by npm); the build folder is removed afterwards.
 */
export const rdkafkaPerformanceStep: SetupStep = {
  name: "rdkafka_performance",
  fingerprint: () => `${NODE_RDKAFKA} ${hashFiles(join(SOURCES, "src", "rdkafka.h"))}`,
  present: () => existsSync(paths.rdkafkaPerformance),
  async run() {
    if (!existsSync(paths.librdkafkaSo)) {
      throw new SetupError("rdkafka_performance", `${paths.librdkafkaSo} is missing: run the librdkafka step first (just setup)`);
    }
    const build = join(paths.build, "rdkafka-performance");
    const tree = join(build, "librdkafka");
    rmSync(build, { recursive: true, force: true });
    mkdirSync(join(tree, "examples"), { recursive: true });
    cpSync(SOURCES, tree, { recursive: true });
    await sh("rdkafka-performance", [...NPM(), "pack", NODE_RDKAFKA, "--pack-destination", build], { cwd: build });
    const tarball = readdirSync(build).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new SetupError("rdkafka_performance", `npm pack ${NODE_RDKAFKA} left no .tgz in ${build}`);
    await sh("rdkafka-performance", ["tar", "-xzf", tarball, "--strip-components=4", "-C", join(tree, "examples"), EXAMPLE_IN_TARBALL], { cwd: build });
    await sh("rdkafka-performance", ["./configure", `--prefix=${paths.librdkafka}`, ...CONFIGURE_FLAGS], { cwd: tree });
    mkdirSync(paths.bin, { recursive: true });
    const lib = join(paths.librdkafka, "lib");
    await sh("rdkafka-performance", [
      "gcc", "-g", "-O2", "-fPIC", "-Wall", "-I../src", "rdkafka_performance.c", "-o", paths.rdkafkaPerformance,
      `-L${lib}`, `-Wl,-rpath,${lib}`, "-lrdkafka", "-lpthread", "-lrt", "-lm",
    ], { cwd: join(tree, "examples") });
    // Its usage text names the librdkafka it loaded: proof the rpath points at ours.
    const banner = Bun.spawnSync([paths.rdkafkaPerformance, "-h"], { stdout: "pipe", stderr: "pipe" }).stderr.toString();
    const loaded = /librdkafka version (\S+)/.exec(banner)?.[1];
    if (!loaded?.startsWith("2.15.")) {
      throw new SetupError("rdkafka_performance", `built, but it loads librdkafka ${loaded ?? "(unknown)"} instead of 2.15.x from ${lib}`);
    }
    rmSync(build, { recursive: true, force: true });
  },
};
