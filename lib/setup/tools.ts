import { existsSync, mkdirSync, rmSync, cpSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../paths.ts";
import { hashFiles, sh } from "./shell.ts";
import type { SetupStep } from "./step.ts";

const inCI = process.env.CI === "true";
const pkgFile = (...parts: string[]) => join(paths.root, ...parts);

/** `bun install` — with a frozen lockfile in CI so a drifting lockfile fails loudly there. */
export const bunInstallStep: SetupStep = {
  name: "bun install",
  fingerprint: () => hashFiles(pkgFile("package.json"), pkgFile("bun.lock")),
  present: () => existsSync(pkgFile("node_modules", ".bin", "bun")),
  run: () => sh("bun-install", [process.execPath, "install", ...(inCI ? ["--frozen-lockfile"] : [])]),
};

// SASL/PLAIN and SCRAM are built in; GSSAPI (Kerberos) would need libsasl2 modules we don't ship.
const CONFIGURE_FLAGS = ["--enable-ssl", "--enable-sasl", "--enable-zstd", "--enable-lz4-ext", "--enable-curl", "--disable-gssapi"];
const LIBRDKAFKA_SOURCES = pkgFile("node_modules", "@confluentinc", "kafka-javascript", "deps", "librdkafka");

/**
 * librdkafka from the sources bundled in @confluentinc/kafka-javascript's npm tarball, built
 * with ./configure && make against Debian's dev packages — no node-gyp, nothing downloaded.
 * (Its addon cannot load in Bun; only the C library is used, through bun:ffi.)
 */
export const librdkafkaStep: SetupStep = {
  name: "librdkafka",
  // The bundled sources' header names their version; rebuild only when they (or our flags) change.
  fingerprint: () => `${hashFiles(join(LIBRDKAFKA_SOURCES, "src", "rdkafka.h"))}:${CONFIGURE_FLAGS.join(" ")}`,
  present: () => existsSync(paths.librdkafkaSo),
  async run() {
    const build = join(paths.build, "librdkafka");
    rmSync(build, { recursive: true, force: true });
    mkdirSync(paths.build, { recursive: true });
    cpSync(LIBRDKAFKA_SOURCES, build, { recursive: true });
    const jobs = String(navigator.hardwareConcurrency || 2);
    await sh("librdkafka", ["./configure", `--prefix=${paths.librdkafka}`, ...CONFIGURE_FLAGS], { cwd: build });
    // Only the C library: the tarball ships no examples/ and the C++ wrapper is not used.
    await sh("librdkafka", ["make", `-j${jobs}`, "-C", "src"], { cwd: build });
    await sh("librdkafka", ["make", "-C", "src", "install"], { cwd: build });
  },
};

const KAFKA_POM = pkgFile("stack", "kafka", "pom.xml");

/** Apache Kafka broker + tools jars from Maven Central (see stack/kafka/pom.xml). */
export const kafkaJarsStep: SetupStep = {
  name: "kafka jars",
  fingerprint: () => hashFiles(KAFKA_POM),
  present: () => existsSync(join(paths.kafkaLibs, "kafka_2.13-4.3.1.jar")),
  async run() {
    rmSync(paths.kafkaLibs, { recursive: true, force: true });
    await sh("kafka-jars", [
      "mvn", "-q", "-B", "-f", KAFKA_POM, "dependency:copy-dependencies",
      `-DoutputDirectory=${paths.kafkaLibs}`, "-DincludeScope=runtime",
    ]);
  },
};

const REQUIREMENTS = pkgFile("stack", "python", "requirements.txt");

/** Project-local Python venv: dbt-core, dbt-duckdb, dbt-bigquery, duckdb, confluent-kafka. */
export const pythonStep: SetupStep = {
  name: "python venv (dbt)",
  fingerprint: () => hashFiles(REQUIREMENTS),
  present: () => existsSync(paths.dbt),
  async run() {
    if (!existsSync(paths.python)) await sh("python", ["python3", "-m", "venv", paths.venv]);
    await sh("python", [paths.python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", REQUIREMENTS]);
  },
};

const EMULATOR_MODULE = pkgFile("stack", "bigquery-emulator");

/** goccy/bigquery-emulator, built with `go build` from the Go module proxy (pinned in stack/bigquery-emulator/go.mod). */
export const emulatorStep: SetupStep = {
  name: "bigquery emulator",
  fingerprint: () => hashFiles(join(EMULATOR_MODULE, "go.mod"), join(EMULATOR_MODULE, "go.sum")),
  present: () => existsSync(paths.bigqueryEmulator),
  run: () =>
    sh("bigquery-emulator", [
      "go", "build", "-o", paths.bigqueryEmulator, "github.com/goccy/bigquery-emulator/cmd/bigquery-emulator",
    ], { cwd: EMULATOR_MODULE, env: { GOFLAGS: "-mod=mod" } }),
};
