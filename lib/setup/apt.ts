import { sh, succeeds } from "./shell.ts";
import type { SetupStep } from "./step.ts";

/** librdkafka's build dependencies (ssl, sasl, zstd, lz4, curl for OIDC, zlib). */
const LIBRDKAFKA_BUILD_DEPS = [
  "build-essential",
  "pkg-config",
  "libssl-dev",
  "libsasl2-dev",
  "libzstd-dev",
  "liblz4-dev",
  "libcurl4-openssl-dev",
  "zlib1g-dev",
];

/** The subset of `pkgs` dpkg reports as installed (one dpkg-query call). */
function installedPackages(pkgs: string[]): Set<string> {
  const out = Bun.spawnSync(["dpkg-query", "-W", "-f=${Package} ${Status}\\n", ...pkgs], { stderr: "ignore" });
  const lines = out.stdout.toString().split("\n").filter((line) => line.endsWith("install ok installed"));
  return new Set(lines.map((line) => line.split(" ")[0]!.split(":")[0]!));
}

function javaMajor(): number {
  const out = Bun.spawnSync(["java", "-version"], { stdout: "ignore", stderr: "pipe" });
  const match = out.exitCode === 0 ? /version "(\d+)/.exec(out.stderr.toString()) : null;
  return match ? Number(match[1]) : 0;
}

/** Debian packages still missing: build deps, a Java ≥ 17 runtime, Maven, Go and python3-venv. */
export function missingPackages(): string[] {
  const present = installedPackages(LIBRDKAFKA_BUILD_DEPS);
  const missing = LIBRDKAFKA_BUILD_DEPS.filter((pkg) => !present.has(pkg));
  if (javaMajor() < 17) missing.push("openjdk-17-jre-headless");
  if (!Bun.which("mvn")) missing.push("maven");
  if (!Bun.which("go")) missing.push("golang-go");
  if (!succeeds(["python3", "-m", "venv", "--help"])) missing.push("python3-venv");
  return missing;
}

/** Installs the missing Debian packages, as root or through sudo. */
export const aptStep: SetupStep = {
  name: "debian packages",
  fingerprint: () => LIBRDKAFKA_BUILD_DEPS.join(","),
  present: () => missingPackages().length === 0,
  async run() {
    const missing = missingPackages();
    if (missing.length === 0) return;
    const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    console.error(`    apt-get install ${missing.join(" ")}`);
    await sh("apt", [...sudo, "apt-get", "update", "-q"], { env });
    await sh("apt", [...sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", ...missing], { env });
  },
};
