import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "../paths.ts";
import { Admin } from "../kafka/admin.ts";
import { serviceDir, type StackConfig } from "./config.ts";
import { alive, logTail, portOpen, runningPid, startDetached, stopProcess, waitForPort } from "./process.ts";
import { ServiceStartError, type Service, type ServiceStatus } from "./service.ts";

const CLASSPATH = () => `${paths.kafkaLibs}/*`;

/** Kafka's random cluster id format: 16 random bytes, base64url without padding. */
/**
 * A random KRaft cluster id: 16 bytes, base64url. Never one starting with "-": the storage tool's
 * argument parser takes that for an option and the format fails (1 id in 64; Kafka's own
 * Uuid.randomUuid() skips those too).
 */
export function clusterId(): string {
  for (;;) {
    const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

/**
 * The local broker: Apache Kafka 4.3 jars from Maven, one KRaft node on the JVM. Its storage is
 * formatted once; later starts reuse the data (topics, offsets survive `down`/`up`).
 */
export class KafkaService implements Service {
  readonly name = "kafka";
  private readonly dir: string;

  constructor(private readonly config: StackConfig) {
    this.dir = serviceDir(config, "kafka");
  }

  get address(): string {
    return `${this.config.host}:${this.config.kafkaPort}`;
  }

  private get files() {
    return {
      pid: join(this.dir, "kafka.pid"),
      log: join(this.dir, "kafka.log"),
      properties: join(this.dir, "server.properties"),
      data: join(this.dir, "data"),
    };
  }

  installed(): boolean {
    return existsSync(join(paths.kafkaLibs, "kafka_2.13-4.3.1.jar"));
  }

  /**
   * The health check `up` and `status` use, through librdkafka: a metadata request, then a
   * validate-only topic creation — a broker answers metadata before the controller has unfenced
   * it, and only then can topics be created.
   */
  async healthy(timeoutMs = 2_000): Promise<boolean> {
    if (!(await portOpen(this.config.host, this.config.kafkaPort))) return false;
    const admin = new Admin({ config: { "bootstrap.servers": this.address, log_level: "0" } });
    try {
      if (admin.metadata({ timeoutMs }).brokers.length === 0) return false;
      await admin.createTopics([{ name: "__ecom_health_probe", partitions: 1, replicationFactor: 1 }], timeoutMs, { validateOnly: true });
      return true;
    } catch {
      return false;
    } finally {
      admin.close();
    }
  }

  private writeConfig(): void {
    const { files, config } = this;
    mkdirSync(files.data, { recursive: true });
    const template = readFileSync(join(paths.stackFiles, "kafka", "server.properties"), "utf8");
    const values: Record<string, string> = {
      HOST: config.host,
      PORT: String(config.kafkaPort),
      CONTROLLER_PORT: String(config.kafkaControllerPort),
      SASL_PORT: String(config.kafkaSaslPort),
      DATA_DIR: files.data,
    };
    writeFileSync(files.properties, template.replace(/\$\{(\w+)\}/g, (_, name: string) => values[name] ?? ""));
  }

  private java(args: string[]): string[] {
    return [
      "java",
      `-Xms256m`,
      `-Xmx${this.config.kafkaHeap}`,
      "-XX:+UseG1GC",
      "-XX:MaxGCPauseMillis=20",
      "-Djava.awt.headless=true",
      `-Dlog4j2.configurationFile=${join(paths.stackFiles, "kafka", "log4j2.yaml")}`,
      "-cp",
      CLASSPATH(),
      ...args,
    ];
  }

  private async format(): Promise<void> {
    if (existsSync(join(this.files.data, "meta.properties"))) return;
    const proc = Bun.spawn(
      this.java(["kafka.tools.StorageTool", "format", "--standalone", "--ignore-formatted", "-t", clusterId(), "-c", this.files.properties]),
      { stdout: "pipe", stderr: "pipe" },
    );
    const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    if (code !== 0) throw new ServiceStartError(this.name, `storage format failed:\n${(out + err).trim().split("\n").slice(-10).join("\n")}`);
  }

  async start(): Promise<"started" | "running"> {
    if (runningPid(this.files.pid, this.files.properties) !== null && (await this.healthy())) return "running";
    if (!this.installed()) throw new ServiceStartError(this.name, "Kafka jars missing — run `just setup`");
    if (await portOpen(this.config.host, this.config.kafkaPort)) {
      throw new ServiceStartError(this.name, `port ${this.config.kafkaPort} is taken by another process (set KAFKA_PORT)`);
    }
    this.writeConfig();
    await this.format();
    const { pid } = startDetached(this.java(["kafka.Kafka", this.files.properties]), { pidFile: this.files.pid, logFile: this.files.log });
    const deadline = performance.now() + 60_000;
    while (performance.now() < deadline) {
      if (!alive(pid)) {
        throw new ServiceStartError(this.name, `the broker exited:\n${logTail(this.files.log)}`, this.files.log);
      }
      if ((await waitForPort(this.config.host, this.config.kafkaPort, 500)) && (await this.healthy())) return "started";
    }
    throw new ServiceStartError(this.name, `no metadata from ${this.address} within 60 s:\n${logTail(this.files.log)}`, this.files.log);
  }

  stop(): Promise<boolean> {
    return stopProcess(this.files.pid, this.files.properties, 30_000);
  }

  async status(): Promise<ServiceStatus> {
    const pid = runningPid(this.files.pid, this.files.properties);
    const healthy = await this.healthy();
    return { name: this.name, address: this.address, pid, healthy, detail: healthy ? "metadata ok" : pid ? "not answering" : "stopped" };
  }
}
