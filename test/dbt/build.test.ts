/**
 * The dbt project on the local target, end to end: synthetic landing files (with redelivered
 * duplicates, blank strings and events without a session) → `dbt build` → checks against the
 * files themselves; then more files → the core models alone on the stale staging table, and
 * an incremental `dbt build` that must append only the new records to staging, rebuild only
 * the days, sessions and products that received rows, and end up identical to a full refresh.
 *
 * dbt starts slowly (~5 s per invocation), so the whole story runs once in beforeAll and the
 * `it`s check what it recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertSucceeded, runDbt, type DbtRun } from "./support/dbt.ts";
import { landingDir, timestampLiteral, copyToLanding, writeEventBatch, writeRedelivery } from "./support/landing.ts";
import { column, scalar, withDuckDB } from "./support/warehouse.ts";

// The first landing happened well before the first build (more than the models' 10-minute
// lookback); the second is stamped after the first build, as a consumer running alongside
// would, and before the second build starts (models read only rows landed by their run's start).
const firstLandedAt = new Date(Date.now() - 3_600_000);

/**
 * For every incremental model: what it rebuilds whole (`rebuiltBy`, a column of its rows),
 * which landed keys those are, the row key, and a column no reconciliation test reads, which
 * the test overwrites with a sentinel between the runs. Rows still holding the sentinel after
 * the second run were not rewritten by it.
 */
const MODELS = [
  { name: "fct_daily_kpis", rowKey: "event_date", rebuiltBy: "event_date", keys: "days", column: "unique_user_count", sentinel: "-1" },
  { name: "fct_ecommerce_events", rowKey: "daily_product_event_id", rebuiltBy: "event_date", keys: "days", column: "unique_user_count", sentinel: "-1" },
  { name: "fct_category_performance", rowKey: "category_performance_id", rebuiltBy: "event_date", keys: "days", column: "unique_viewer_count", sentinel: "-1" },
  { name: "fct_sessions", rowKey: "session_id", rebuiltBy: "session_id", keys: "sessions", column: "product_count", sentinel: "-1" },
  { name: "fct_session_event_sequence", rowKey: "event_id", rebuiltBy: "session_id", keys: "sessions", column: "previous_event_type", sentinel: "'sentinel'" },
  { name: "dim_products", rowKey: "product_id", rebuiltBy: "product_id", keys: "products", column: "brand", sentinel: "'sentinel'" },
] as const;
type KeyKind = (typeof MODELS)[number]["keys"];

const scratch = mkdtempSync(join(tmpdir(), "dbt-test-"));
const warehouseDir = join(scratch, "warehouse");
const database = join(warehouseDir, "ecom.duckdb");
const allLanding = `read_parquet('${landingDir(warehouseDir)}/*/*.parquet', hive_partitioning = true)`;
// The landed rows as the contract defines them: one per Kafka coordinate, the first landing.
const firstLandings = `(
    select * from ${allLanding}
    qualify row_number() over (partition by _kafka_partition, _kafka_offset order by _ingested_at) = 1)`;

const recorded = {
  emptyRun: undefined as DbtRun | undefined,
  firstRun: undefined as DbtRun | undefined,
  secondRun: undefined as DbtRun | undefined,
  landedRows: 0,
  distinctCoordinates: 0,
  afterFirst: undefined as Figures | undefined,
  afterSecond: undefined as Figures | undefined,
  expectedRebuilt: {} as Record<KeyKind, string[]>,
  rebuilt: {} as Record<string, string[]>,
  untouchedKeys: {} as Record<string, number>,
  differencesFromFullRefresh: {} as Record<string, number>,
  /** Staging rows of the first build that the second one moved or rewrote, and the rows it appended. */
  stagingRowsRewritten: -1,
  stagingRowsAppended: -1,
};

type Figures = Awaited<ReturnType<typeof measure>>;

/** Figures the checks compare: the warehouse's models against the landing files themselves. */
async function measure() {
  return withDuckDB(database, async (db) => ({
    stagedRows: await scalar(db, "select count(*) from stg_ecom_events"),
    landedEvents: await scalar(db, `select count(*) from ${firstLandings}`),
    blankStrings: await scalar(
      db,
      `select count(*) from stg_ecom_events
       where trim(brand) = '' or trim(category_code) = '' or trim(session_id) = ''`,
    ),
    kpiEvents: await scalar(db, "select sum(event_count) from fct_daily_kpis"),
    kpiRevenueCents: await scalar(db, "select sum(revenue) * 100 from fct_daily_kpis"),
    landedRevenueCents: await scalar(
      db,
      `select sum(round(price, 2)) * 100 from ${firstLandings} where event_type = 'purchase'`,
    ),
    sessions: await scalar(db, "select count(*) from fct_sessions"),
    landedSessions: await scalar(db, `select count(distinct user_session) from ${firstLandings}`),
    sequencedEvents: await scalar(db, "select count(*) from fct_session_event_sequence"),
    landedSessionEvents: await scalar(db, `select count(*) from ${firstLandings} where user_session is not null`),
    products: await scalar(db, "select count(*) from dim_products"),
    landedProducts: await scalar(db, `select count(distinct product_id) from ${firstLandings}`),
  }));
}

beforeAll(async () => {
  mkdirSync(warehouseDir, { recursive: true });

  // No landing file yet: the build stops at once, saying what to do.
  recorded.emptyRun = await runDbt(["build"], join(scratch, "empty-warehouse"), join(scratch, "dbt-empty"));

  await withDuckDB(":memory:", async (db) => {
    await writeEventBatch(db, warehouseDir, {
      name: "first", first: 0, count: 400, firstDay: "2020-10-01", days: 4, ingestedAt: firstLandedAt,
    });
    // A consumer crash after writing, before committing: every 17th record lands again.
    await writeRedelivery(db, warehouseDir, "first-redelivered", {
      filesLike: "first_*.parquet", every: 17, ingestedAt: new Date(firstLandedAt.getTime() + 60_000),
    });
    recorded.landedRows = await scalar(db, `select count(*) from ${allLanding}`);
    recorded.distinctCoordinates = await scalar(
      db, `select count(distinct (_kafka_partition, _kafka_offset)) from ${allLanding}`);
  });

  recorded.firstRun = await runDbt(["build"], warehouseDir, join(scratch, "dbt"));
  assertSucceeded(recorded.firstRun, "first dbt build");
  recorded.afterFirst = await measure();

  // Mark every row with its sentinel; keep a copy of the real values to put back later.
  const firstBuild = join(scratch, "first-build.duckdb");
  copyFileSync(database, firstBuild);
  await withDuckDB(database, async (db) => {
    for (const model of MODELS) await db.run(`update ${model.name} set ${model.column} = ${model.sentinel}`);
  });

  const secondLandedAt = new Date();
  await withDuckDB(":memory:", async (db) => {
    // New events: two sessions on a new day.
    await writeEventBatch(db, warehouseDir, {
      name: "second", first: 400, count: 16, firstDay: "2020-10-06", days: 1, ingestedAt: secondLandedAt,
    });
    // A late event of an old session, a minute before its first event: the session's
    // numbering shifts and its day is rebuilt.
    await copyToLanding(db, warehouseDir, "late", `
        select * replace (
            _kafka_offset + 1000000 as _kafka_offset,
            event_time - interval 1 minute as event_time,
            cast(event_time - interval 1 minute as date) as event_date,
            ${timestampLiteral(secondLandedAt)} as _ingested_at)
        from ${allLanding}
        where user_session = 'session-3'
        qualify row_number() over (order by event_time, _kafka_offset) = 1`);
    // Old records delivered once more: they are duplicates, not new data.
    await writeRedelivery(db, warehouseDir, "first-redelivered-again", {
      filesLike: "first_*.parquet", every: 5, ingestedAt: secondLandedAt,
    });
    const newRows = `(select * from ${firstLandings} where _ingested_at > ${timestampLiteral(firstLandedAt)} + interval 5 minute)`;
    recorded.expectedRebuilt = {
      days: await column(db, `select distinct cast(cast(event_time as date) as varchar) from ${newRows}`),
      sessions: await column(db, `select distinct user_session from ${newRows} where user_session is not null`),
      products: await column(db, `select distinct product_id from ${newRows}`),
    };
  });

  // First the core models alone, before staging has read the new files (what
  // `dbt run --select fct_sessions` does): they must not take the landing's growth as read,
  // or the build after it would miss the rows staged then. With no lookback, a core model
  // that compared landing times with its own run's start would miss them, so that shows.
  const noLookback = ["--vars", "{landing_lookback_minutes: 0}"];
  assertSucceeded(
    await runDbt(["run", "--exclude", "stg_ecom_events", ...noLookback], warehouseDir, join(scratch, "dbt")),
    "dbt run of the core models alone");
  recorded.secondRun = await runDbt(["build", ...noLookback], warehouseDir, join(scratch, "dbt"));
  assertSucceeded(recorded.secondRun, "incremental dbt build");
  recorded.afterSecond = await measure();

  await withDuckDB(database, async (db) => {
    await db.run(`attach '${firstBuild}' as first_build (read_only)`);
    // Staging is append-only: every row of the first build keeps its place (its rowid) and
    // the second build only adds rows after them. A rebuilt table would renumber its rows.
    const firstRows = `(select rowid as row_number, event_id from first_build.main.stg_ecom_events)`;
    recorded.stagingRowsRewritten = await scalar(db, `
        select count(*) from ${firstRows} as before
        left join (select rowid as row_number, event_id from ecom.main.stg_ecom_events) as after
            using (row_number, event_id)
        where after.event_id is null`);
    recorded.stagingRowsAppended = await scalar(db, `
        select count(*) from ecom.main.stg_ecom_events
        where rowid >= (select count(*) from first_build.main.stg_ecom_events)`);
    for (const model of MODELS) {
      recorded.rebuilt[model.name] = await column(
        db, `select distinct cast(${model.rebuiltBy} as varchar) from ${model.name} where ${model.column} is distinct from ${model.sentinel}`);
      recorded.untouchedKeys[model.name] = await scalar(
        db, `select count(distinct ${model.rebuiltBy}) from ${model.name} where ${model.column} = ${model.sentinel}`);
      // Put back what the first run wrote, so the table is what the incremental run left.
      await db.run(`
          update ecom.main.${model.name} as built set ${model.column} = before.${model.column}
          from first_build.main.${model.name} as before
          where built.${model.rowKey} = before.${model.rowKey}
              and built.${model.column} = ${model.sentinel}`);
    }
  });

  const incrementalBuild = join(scratch, "incremental-build.duckdb");
  copyFileSync(database, incrementalBuild);
  assertSucceeded(await runDbt(["run", "--full-refresh"], warehouseDir, join(scratch, "dbt")), "dbt run --full-refresh");
  await withDuckDB(database, async (db) => {
    await db.run(`attach '${incrementalBuild}' as incremental (read_only)`);
    // Staging's `staged_at` says which run added a row: a full refresh adds them all anew.
    for (const model of [{ name: "stg_ecom_events", columns: "* exclude (staged_at)" }, ...MODELS]) {
      const columns = "columns" in model ? model.columns : "*";
      recorded.differencesFromFullRefresh[model.name] = await scalar(db, `
          select count(*) from (
              (select ${columns} from ecom.main.${model.name} except all select ${columns} from incremental.main.${model.name})
              union all
              (select ${columns} from incremental.main.${model.name} except all select ${columns} from ecom.main.${model.name}))`);
    }
  });
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("dbt build on the local target", () => {
  it("stops with a clear message when no landing file exists", () => {
    expect(recorded.emptyRun!.exitCode).not.toBe(0);
    expect(recorded.emptyRun!.output).toContain("No landing files match");
    expect(recorded.emptyRun!.output).toContain("just consume");
  });

  it("runs every model, unit test, data test and reconciliation test successfully", () => {
    const results = recorded.firstRun!.results;
    const failed = results.filter((result) => !["success", "pass"].includes(result.status));
    expect(failed).toEqual([]);
    const ran = (prefix: string) => results.filter((result) => result.unique_id.startsWith(prefix)).length;
    expect(ran("model.")).toBe(7);
    expect(ran("unit_test.")).toBeGreaterThanOrEqual(6);
    expect(ran("test.ecom_events.assert_")).toBe(3);
  });

  it("keeps one row per Kafka coordinate and turns blank strings into NULL", () => {
    expect(recorded.landedRows).toBeGreaterThan(recorded.distinctCoordinates);
    expect(recorded.afterFirst!.stagedRows).toBe(recorded.distinctCoordinates);
    expect(recorded.afterFirst!.blankStrings).toBe(0);
  });

  it("counts every landed event and reconciles revenue with the purchase prices", () => {
    const first = recorded.afterFirst!;
    expect(first.kpiEvents).toBe(first.landedEvents);
    expect(first.kpiRevenueCents).toBeGreaterThan(0);
    expect(first.kpiRevenueCents).toBeCloseTo(first.landedRevenueCents, 6);
    expect(first.sessions).toBe(first.landedSessions);
    expect(first.sequencedEvents).toBe(first.landedSessionEvents);
    expect(first.products).toBe(first.landedProducts);
  });

  it("picks up the new rows on an incremental run and ignores redelivered ones", () => {
    const second = recorded.afterSecond!;
    expect(second.stagedRows).toBe(recorded.afterFirst!.stagedRows + 16 + 1);
    expect(second.kpiEvents).toBe(second.landedEvents);
    expect(second.kpiRevenueCents).toBeCloseTo(second.landedRevenueCents, 6);
    expect(second.sessions).toBe(second.landedSessions);
    expect(second.sequencedEvents).toBe(second.landedSessionEvents);
    expect(recorded.secondRun!.results.filter((result) => !["success", "pass"].includes(result.status))).toEqual([]);
  });

  it("appends only the new records to staging, leaving the staged ones in place", () => {
    expect(recorded.stagingRowsRewritten).toBe(0);
    expect(recorded.stagingRowsAppended).toBe(16 + 1);
  });

  it("rebuilds only the days, sessions and products that received new rows", () => {
    expect(recorded.expectedRebuilt.days.length).toBeGreaterThan(0);
    for (const model of MODELS) {
      expect({ model: model.name, rebuilt: recorded.rebuilt[model.name] }).toEqual({
        model: model.name,
        rebuilt: recorded.expectedRebuilt[model.keys],
      });
      // The check means something only if some keys were left alone.
      expect(recorded.untouchedKeys[model.name]).toBeGreaterThan(0);
    }
  });

  it("ends up identical to a full refresh", () => {
    for (const model of [{ name: "stg_ecom_events" }, ...MODELS]) {
      expect({ model: model.name, differences: recorded.differencesFromFullRefresh[model.name] }).toEqual({
        model: model.name,
        differences: 0,
      });
    }
  });
});
