import { existsSync } from "node:fs";
import { join } from "node:path";
import { serviceDir, type StackConfig } from "./config.ts";
import { alive, logTail, portOpen, runningPid, startDetached, stopProcess } from "./process.ts";
import { ServiceStartError, type Service, type ServiceStatus } from "./service.ts";

/** What distinguishes one HTTP service of the stack from another. */
export interface HttpServiceSpec {
  name: string;
  port: number;
  /** Absolute path of the program; `installed()` checks it exists. */
  program: string;
  command: (dir: string) => string[];
  /** Path (and headers) of a request that answers 200 once the service is ready. */
  healthPath: string;
  healthHeaders?: Record<string, string>;
  env?: Record<string, string>;
  /** What to tell the user when the program is missing. */
  installHint: string;
  startTimeoutMs?: number;
}

/**
 * A stack service that speaks HTTP (the Schema Registry, the BigQuery emulator): started
 * detached with a pid file, healthy when `healthPath` answers 200.
 */
export class HttpService implements Service {
  private readonly dir: string;

  constructor(
    private readonly config: StackConfig,
    private readonly spec: HttpServiceSpec,
  ) {
    this.dir = serviceDir(config, spec.name);
  }

  get name(): string {
    return this.spec.name;
  }

  get address(): string {
    return `http://${this.config.host}:${this.spec.port}`;
  }

  private get pidFile(): string {
    return join(this.dir, `${this.spec.name}.pid`);
  }

  private get logFile(): string {
    return join(this.dir, `${this.spec.name}.log`);
  }

  /** The pid file marker: the state folder is on the command line of every service we start. */
  private get marker(): string {
    return this.dir;
  }

  installed(): boolean {
    return existsSync(this.spec.program);
  }

  async healthy(): Promise<boolean> {
    try {
      const response = await fetch(this.address + this.spec.healthPath, {
        headers: this.spec.healthHeaders,
        signal: AbortSignal.timeout(2_000),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  async start(): Promise<"started" | "running"> {
    if (runningPid(this.pidFile, this.marker) !== null && (await this.healthy())) return "running";
    if (!this.installed()) throw new ServiceStartError(this.name, `${this.spec.program} is missing — ${this.spec.installHint}`);
    if (await portOpen(this.config.host, this.spec.port)) {
      throw new ServiceStartError(this.name, `port ${this.spec.port} is taken by another process`);
    }
    const { pid } = startDetached(this.spec.command(this.dir), { pidFile: this.pidFile, logFile: this.logFile, env: this.spec.env });
    const deadline = performance.now() + (this.spec.startTimeoutMs ?? 30_000);
    while (performance.now() < deadline) {
      if (!alive(pid)) {
        throw new ServiceStartError(this.name, `it exited:\n${logTail(this.logFile)}`, this.logFile);
      }
      if (await this.healthy()) return "started";
      await Bun.sleep(100);
    }
    throw new ServiceStartError(this.name, `${this.address}${this.spec.healthPath} did not answer:\n${logTail(this.logFile)}`, this.logFile);
  }

  stop(): Promise<boolean> {
    return stopProcess(this.pidFile, this.marker);
  }

  async status(): Promise<ServiceStatus> {
    const pid = runningPid(this.pidFile, this.marker);
    const healthy = await this.healthy();
    const detail = healthy ? "ok" : !this.installed() ? "not installed" : pid ? "not answering" : "stopped";
    return { name: this.name, address: this.address, pid, healthy, detail };
  }
}
