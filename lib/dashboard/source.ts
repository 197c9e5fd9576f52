import { statSync } from "node:fs";
import { openDuckDbWarehouse } from "../warehouse/duckdb.ts";
import { dbtDatabasePath, RAW_TABLE, warehouseDir } from "../warehouse/landing.ts";
import { openWarehouse, type WarehouseKind } from "../warehouse/open.ts";
import { NO_DATA_MESSAGE, NoDataError, type Warehouse } from "../warehouse/warehouse.ts";
import { readLive, type Live } from "./live.ts";
import { readOverview, type Overview } from "./overview.ts";

/**
 * Where the dashboard's figures come from, and the rule that keeps it from getting in dbt's way.
 *
 * Problem: a DuckDB session that attaches dbt's database file — even read-only — holds a lock
 * on it, and `dbt build` (which opens the file for writing) fails while any reader has it.
 * Solution: every read opens a fresh session and closes it before answering, the live panel's
 * session never attaches dbt's file at all, and the overview is kept in memory until the file
 * changes (size and mtime of it and its WAL), so an idle dashboard does not touch the file
 * between dbt builds. While dbt holds its write lock the attach fails, the session says so,
 * and the last overview is served marked stale.
 * Cost, measured on 885k landed rows (2 cores): a session opens and closes in 15 ms (22 ms
 * with dbt's file attached); an overview read takes ~140 ms, once per dbt build; a live read
 * ~40 ms over 15 landing files, ~200 ms over 205 small uncompacted ones (a long-lived session
 * would save ~60 ms of that: not worth holding state for a 5-second refresh).
 *
 * On BigQuery nothing is locked; one long-lived client serves every read, and results are kept
 * for a few seconds because every query is billed.
 */

/** The state of a panel: figures, or why there are none yet. */
export type PanelStatus = "ok" | "no-data" | "no-models" | "locked";

/** Which warehouse answered. */
export interface WarehouseInfo {
  kind: Warehouse["kind"];
  location: string;
}

/** What every endpoint answers with besides its figures. */
interface PanelResponse {
  status: PanelStatus;
  warehouse: WarehouseInfo;
  /** Things to show above the figures (e.g. "dbt is running"). */
  notices: string[];
  /** For every status but ok: what is missing, and the command that fixes it. */
  message?: string;
  commands?: string[];
  /** When the figures were read (epoch ms). */
  readAtMs?: number;
}

/** The answer of /api/overview. */
export interface OverviewResponse extends PanelResponse {
  /** True when dbt is rebuilding and these are the figures from before it started. */
  stale?: boolean;
  overview?: Overview;
}

/** The answer of /api/live. */
export interface LiveResponse extends PanelResponse {
  live?: Live;
}

/** How the dashboard reaches its warehouse. */
export interface DashboardSourceOptions {
  kind: WarehouseKind;
  /** WAREHOUSE_DIR and the BigQuery settings are read from here. */
  env?: Record<string, string | undefined>;
  /** BigQuery: reuse an overview this long (default 60 s); it changes only when dbt runs. */
  overviewTtlMs?: number;
  /** BigQuery: reuse live figures this long (default 10 s). */
  liveTtlMs?: number;
}

export const NO_DATA: Pick<PanelResponse, "message" | "commands"> = {
  message:
    "No events have landed yet. Run the whole pipeline on generated data with just demo, or land your own with just produce and just consume.",
  commands: ["just demo", "just produce", "just consume"],
};
export const NO_MODELS: Pick<PanelResponse, "message" | "commands"> = {
  message: "Events have landed, but dbt's models are not built yet: build them with just dbt (the live panel works meanwhile).",
  commands: ["just dbt"],
};
export const LOCKED: Pick<PanelResponse, "message" | "commands"> = {
  message: "dbt is building the models right now (its database is locked); the overview appears when it finishes.",
  commands: [],
};

// DuckDB: "Table with name fct_daily_kpis does not exist"; BigQuery: "Not found: Table p:d.fct_…".
const MISSING_MODEL = /(does not exist|not found)/i;
const MODEL_NAME = /\b(fct|dim|stg)_\w+/;

/** Reads the dashboard's figures with the locking rule of the module comment; create one per server. */
export class DashboardSource {
  private readonly kind: WarehouseKind;
  private readonly env: Record<string, string | undefined>;
  private readonly overviewTtlMs: number;
  private readonly liveTtlMs: number;
  private bigquery?: Promise<Warehouse>;
  private overviewCache?: { key: string; response: OverviewResponse };
  private liveCache?: { key: string; response: LiveResponse };
  private inflight = new Map<string, Promise<unknown>>();

  constructor(options: DashboardSourceOptions) {
    this.kind = options.kind;
    this.env = options.env ?? process.env;
    this.overviewTtlMs = options.overviewTtlMs ?? 60_000;
    this.liveTtlMs = options.liveTtlMs ?? 10_000;
  }

  /** Where the figures come from, for the page's footer. */
  get warehouse(): WarehouseInfo {
    return this.kind === "bigquery"
      ? { kind: "bigquery", location: `${this.env.GCP_PROJECT ?? ""}.${this.env.BQ_DATASET || "ecom_events"}` }
      : { kind: "duckdb", location: this.localDir };
  }

  private get localDir(): string {
    return this.env.WAREHOUSE_DIR || warehouseDir();
  }

  /**
   * The overview from dbt's models, or why there is none: no data landed (`no-data`), models
   * not built (`no-models`), dbt building for the first time (`locked`). Throws the
   * warehouse's error for anything else.
   */
  overview(): Promise<OverviewResponse> {
    return this.once("overview", async () => {
      const key = this.overviewKey();
      if (this.overviewCache?.key === key) return this.overviewCache.response;
      const session = await this.open("models");
      try {
        const notices = shown(session.notices);
        if (notices.some((notice) => /\blocked\b/.test(notice))) {
          const cached = this.overviewCache?.response;
          return cached ? { ...cached, notices, stale: true } : { ...this.base("locked", notices), ...LOCKED };
        }
        try {
          const overview = await readOverview(session);
          const response: OverviewResponse = { ...this.base("ok", notices), readAtMs: Date.now(), overview };
          this.overviewCache = { key, response };
          return response;
        } catch (error) {
          if (!isMissingModel(error)) throw error;
          return (await hasRawData(session))
            ? { ...this.base("no-models", notices), ...NO_MODELS }
            : { ...this.base("no-data", notices), ...NO_DATA };
        }
      } finally {
        await this.release(session);
      }
    });
  }

  /** The live figures from the raw table, or `no-data`. Throws the warehouse's error otherwise. */
  live(): Promise<LiveResponse> {
    return this.once("live", async () => {
      const key = this.kind === "bigquery" ? String(Math.floor(Date.now() / this.liveTtlMs)) : undefined;
      if (key !== undefined && this.liveCache?.key === key) return this.liveCache.response;
      const session = await this.open("raw");
      try {
        const live = await readLive(session);
        const response: LiveResponse = live.rowsLanded === 0
          ? { ...this.base("no-data", shown(session.notices)), ...NO_DATA }
          : { ...this.base("ok", shown(session.notices)), readAtMs: live.nowMs, live };
        if (key !== undefined) this.liveCache = { key, response };
        return response;
      } catch (error) {
        if (error instanceof NoDataError) return { ...this.base("no-data", []), ...NO_DATA };
        throw error;
      } finally {
        await this.release(session);
      }
    });
  }

  /** Closes the BigQuery client, if one was opened (local sessions never outlive a request). */
  async close(): Promise<void> {
    const bigquery = this.bigquery;
    this.bigquery = undefined;
    if (bigquery) await (await bigquery).close();
  }

  private base(status: PanelStatus, notices: string[]): OverviewResponse & LiveResponse {
    return { status, warehouse: this.warehouse, notices };
  }

  /**
   * What the cached overview depends on: locally dbt's file (size and mtime of it and its WAL;
   * "none" when dbt has not built yet, which is never cached as ok); on BigQuery, a time slot.
   */
  private overviewKey(): string {
    if (this.kind === "bigquery") return `t${Math.floor(Date.now() / this.overviewTtlMs)}`;
    const file = dbtDatabasePath(this.localDir);
    return [file, `${file}.wal`].map(fileVersion).join("|");
  }

  private async open(purpose: "models" | "raw"): Promise<Warehouse> {
    if (this.kind === "bigquery") {
      // One client for the server's life (it caches its auth token); a failed open is retried next time.
      this.bigquery ??= openWarehouse("bigquery", this.env).catch((error) => {
        this.bigquery = undefined;
        throw error;
      });
      return this.bigquery;
    }
    return openDuckDbWarehouse({ warehouseDir: this.localDir, attachDbt: purpose === "models" });
  }

  private async release(session: Warehouse): Promise<void> {
    if (session.kind === "duckdb") await session.close();
  }

  /** Runs `work` once for concurrent callers of the same `name` (many open pages, one read). */
  private once<T>(name: string, work: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(name) as Promise<T> | undefined;
    if (running) return running;
    const started = work().finally(() => this.inflight.delete(name));
    this.inflight.set(name, started);
    return started;
  }
}

/** Session notices worth showing: the no-data one is replaced by the friendlier NO_DATA message. */
function shown(notices: readonly string[]): string[] {
  return notices.filter((notice) => !notice.startsWith(NO_DATA_MESSAGE));
}

function isMissingModel(error: unknown): boolean {
  const message = (error as Error)?.message ?? "";
  return MISSING_MODEL.test(message) && MODEL_NAME.test(message);
}

/** Whether the raw table has at least one row (false when it does not exist yet). */
async function hasRawData(session: Warehouse): Promise<boolean> {
  try {
    return (await session.query(`select 1 from ${RAW_TABLE} limit 1`)).rows.length > 0;
  } catch (error) {
    if (error instanceof NoDataError) return false;
    throw error;
  }
}

function fileVersion(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.size}@${stat.mtimeMs}`;
  } catch {
    return "none";
  }
}
