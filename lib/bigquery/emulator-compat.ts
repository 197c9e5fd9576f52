/**
 * A compatibility proxy for goccy/bigquery-emulator v0.8.1, so that dbt-bigquery can build on it.
 * It only ever stands in front of the emulator (`just up bigquery`, the tests); real BigQuery is
 * never proxied, so nothing here can change what happens in production.
 *
 * Why a proxy and not dbt-side macros: dbt-bigquery 1.11 decides in Python, from the job's
 * `statistics.query.statementType`, what to read after every statement. The emulator reports
 * every job as SELECT and gives DDL/DML jobs no `destinationTable`, so dbt's
 * `client.get_table(job.destination)` crashes ("'NoneType' object has no attribute 'path'")
 * after each CREATE, INSERT and MERGE although it ran. No macro reaches that code: a macro could
 * only make every statement end in a dummy SELECT (changing what runs on BigQuery too), and
 * dbt-bigquery's incremental scripts would need copies of its internal macros. Fixing the
 * emulator's answers where they differ from BigQuery's keeps dbt and the project's SQL exactly
 * as they run on BigQuery.
 *
 * What it changes (everything else passes through untouched):
 * - jobs.insert / jobs.get answers: the statement type BigQuery would report (parsed from the
 *   job's SQL); for CREATE TABLE … AS SELECT the created table as `destinationTable` and
 *   `ddlTargetTable`, as BigQuery sets them.
 * - SELECT jobs without a destination: their results go to a table in one dataset,
 *   `_query_results`, instead of a new dataset per query. The emulator rebuilds its whole
 *   catalog on every table drop, at a cost that grows with the number of datasets, and never
 *   frees the old one (measured: after 100 / 200 SELECTs a DROP took 3.8 s / 7.2 s and the
 *   emulator 2.8 / 7.1 GB; it crashed at 300. With one results dataset: 0.2–0.6 s, 270–380 MB
 *   after 400). A full `dbt build` runs ~150 SELECTs.
 * - CREATE OR REPLACE TABLE/VIEW of an existing object: the emulator replaces the data but then
 *   answers 409 and keeps the old schema or view text; the proxy deletes the object first.
 * - CREATE … IF NOT EXISTS of an existing object: the emulator runs the no-op, then answers 409;
 *   the proxy answers with the (successful) job instead, as BigQuery does.
 * - SQL forms dbt-bigquery emits that the emulator rejects or misreads (emulator-compat-sql.ts).
 */
import { describeQuery, rewriteForEmulator, type JobQuery, type TableReference } from "./emulator-compat-sql.ts";

/** A running proxy: the URL to use as BIGQUERY_API_ENDPOINT, and how to stop it. */
export interface EmulatorCompatProxy {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmulatorCompatOptions {
  /** The emulator's REST base URL, e.g. http://127.0.0.1:9050. */
  upstream: string;
  hostname?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
}

/** The dataset that holds the results of SELECT jobs (BigQuery hides datasets named `_…`). */
export const RESULTS_DATASET = "_query_results";

/** The parts of a BigQuery Job resource the proxy reads or fixes. */
interface Job {
  jobReference?: { projectId?: string; jobId?: string };
  configuration?: {
    dryRun?: boolean;
    query?: { query?: string; destinationTable?: TableReference; defaultDataset?: { projectId?: string; datasetId?: string } };
  };
  statistics?: { query?: { statementType?: string; ddlTargetTable?: TableReference } };
}

const JOBS_INSERT = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs$/;
const JOBS_GET = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)$/;
const JOBS_QUERY = /^\/bigquery\/v2\/projects\/([^/]+)\/queries$/;

/** Thrown when the emulator behind the proxy cannot be reached; the client gets a 502 naming it. */
export class EmulatorUnreachableError extends Error {
  constructor(readonly upstream: string, options: { cause: unknown }) {
    super(`the BigQuery emulator at ${upstream} did not answer: ${(options.cause as Error)?.message ?? options.cause}`, options);
    this.name = "EmulatorUnreachableError";
  }
}

/**
 * Starts the proxy (on loopback by default) in this process. Requests go to `upstream` one to
 * one; only query jobs are inspected (see the file comment for what changes).
 */
export function startEmulatorCompatProxy(options: EmulatorCompatOptions): EmulatorCompatProxy {
  const compat = new EmulatorCompat(options.upstream.replace(/\/+$/, ""));
  const server = Bun.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    idleTimeout: 0,
    fetch: async (request) => {
      try {
        return await compat.handle(request);
      } catch (error) {
        // A reason Google's clients do not retry: a test should fail at once, not after minutes.
        const message = error instanceof EmulatorUnreachableError ? error.message : `emulator-compat proxy: ${(error as Error).stack}`;
        const reason = error instanceof EmulatorUnreachableError ? "emulatorUnreachable" : "emulatorCompatError";
        return Response.json({ error: { code: 502, message, errors: [{ reason, message }] } }, { status: 502 });
      }
    },
  });
  return { url: `http://${server.hostname}:${server.port}`, port: server.port!, stop: () => server.stop(true) };
}

class EmulatorCompat {
  /** Projects whose results dataset exists (the proxy starts and stops with its emulator). */
  private readonly resultsDatasets = new Map<string, Promise<void>>();

  constructor(private readonly upstream: string) {}

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    // Bytes, not text: load jobs upload binary files through the proxy too.
    const body = request.body ? await request.arrayBuffer() : undefined;
    if (request.method === "POST" && body) {
      const insert = JOBS_INSERT.exec(url.pathname);
      if (insert) return this.insertJob(request.headers, url, decodeURIComponent(insert[1]!), new TextDecoder().decode(body));
      const query = JOBS_QUERY.exec(url.pathname);
      if (query) return this.query(request.headers, url, decodeURIComponent(query[1]!), new TextDecoder().decode(body));
    }
    const response = await this.forward(request.method, request.headers, url.pathname + url.search, body);
    const get = request.method === "GET" ? JOBS_GET.exec(url.pathname) : null;
    if (!get || !response.ok) return response;
    return Response.json(fixJob((await response.json()) as Job, decodeURIComponent(get[1]!)), { status: response.status });
  }

  /** jobs.insert: prepares the emulator for the job, forwards it, and fixes the answer. */
  private async insertJob(headers: Headers, url: URL, projectId: string, text: string): Promise<Response> {
    const job = parseJson(text);
    const config = job?.configuration;
    const sql = config?.query?.query;
    if (!job || typeof sql !== "string") return this.forward("POST", headers, url.pathname + url.search, text);

    const query = describeQuery(sql, defaultsOf(job, projectId));
    const jobId = job.jobReference?.jobId;
    if (!config!.dryRun) {
      await this.dropReplacedObjects(query);
      if (query.type === "SELECT" && !config!.query!.destinationTable && jobId) {
        await this.ensureResultsDataset(projectId);
        config!.query!.destinationTable = { projectId, datasetId: RESULTS_DATASET, tableId: jobId.replace(/\W/g, "_") };
      }
    }
    config!.query!.query = rewriteForEmulator(sql);
    const response = await this.forward("POST", headers, url.pathname + url.search, JSON.stringify(job));
    if (response.ok) return Response.json(fixJob((await response.json()) as Job, projectId), { status: response.status });

    const body = await response.text();
    const createdAnyway = response.status === 409 && query.statements.some((s) => s.ifNotExists) && /already created/.test(body);
    if (createdAnyway && jobId) {
      // The emulator ran the job (a no-op) and recorded it, then failed registering the table it
      // "created" again: the job as recorded is BigQuery's answer.
      const recorded = await this.forward("GET", headers, `${url.pathname}/${encodeURIComponent(jobId)}${url.search}`, undefined);
      if (recorded.ok) return Response.json(fixJob((await recorded.json()) as Job, projectId), { status: 200 });
    }
    return new Response(body, { status: response.status, headers: response.headers });
  }

  /** jobs.query (the synchronous call): the same preparation and SQL rewrites as jobs.insert. */
  private async query(headers: Headers, url: URL, projectId: string, text: string): Promise<Response> {
    const request = parseJson(text) as { query?: unknown; dryRun?: boolean; defaultDataset?: { projectId?: string; datasetId?: string } } | null;
    if (!request || typeof request.query !== "string") return this.forward("POST", headers, url.pathname + url.search, text);
    const defaults = { projectId: request.defaultDataset?.projectId ?? projectId, datasetId: request.defaultDataset?.datasetId };
    if (!request.dryRun) await this.dropReplacedObjects(describeQuery(request.query, defaults));
    request.query = rewriteForEmulator(request.query);
    return this.forward("POST", headers, url.pathname + url.search, JSON.stringify(request));
  }

  /**
   * Problem: CREATE OR REPLACE of an existing table or view replaces the data, then fails with
   * 409 while registering the "new" table, and the old schema (or view SQL) stays in the
   * metadata. Solution: delete the object first, so the statement creates it afresh. Unlike
   * BigQuery, a statement that then fails leaves no table behind — acceptable on an emulator.
   */
  private async dropReplacedObjects(query: JobQuery): Promise<void> {
    for (const statement of query.statements) {
      if (!statement.orReplace || !statement.target) continue;
      const { projectId, datasetId, tableId } = statement.target;
      const path = `/bigquery/v2/projects/${encodeURIComponent(projectId)}/datasets/${encodeURIComponent(datasetId)}/tables/${encodeURIComponent(tableId)}`;
      // 404 when there is nothing to replace: fine.
      await (await this.forward("DELETE", new Headers(), path, undefined)).arrayBuffer();
    }
  }

  /** Creates RESULTS_DATASET unless it exists (checked once per project and proxy). */
  private ensureResultsDataset(projectId: string): Promise<void> {
    let created = this.resultsDatasets.get(projectId);
    if (!created) {
      created = this.createResultsDataset(projectId);
      created.catch(() => this.resultsDatasets.delete(projectId));
      this.resultsDatasets.set(projectId, created);
    }
    return created;
  }

  private async createResultsDataset(projectId: string): Promise<void> {
    const datasets = `/bigquery/v2/projects/${encodeURIComponent(projectId)}/datasets`;
    const existing = await this.forward("GET", new Headers(), `${datasets}/${RESULTS_DATASET}`, undefined);
    await existing.arrayBuffer();
    if (existing.ok) return;
    const body = JSON.stringify({ datasetReference: { projectId, datasetId: RESULTS_DATASET } });
    const response = await this.forward("POST", new Headers({ "content-type": "application/json" }), datasets, body);
    const text = await response.text();
    // "already created": another proxy in front of the same emulator got there first.
    if (!response.ok && !/already created/.test(text)) {
      throw new Error(`cannot create dataset ${RESULTS_DATASET} on the emulator (${response.status}): ${text}`);
    }
  }

  /** Forwards one request; headers that described the original encoding are dropped. */
  private async forward(method: string, requestHeaders: Headers, pathAndSearch: string, body: string | ArrayBuffer | undefined): Promise<Response> {
    const headers = new Headers(requestHeaders);
    for (const name of ["host", "content-length", "accept-encoding"]) headers.delete(name);
    let response: Response;
    try {
      response = await fetch(this.upstream + pathAndSearch, { method, headers, body, redirect: "manual" });
    } catch (cause) {
      throw new EmulatorUnreachableError(this.upstream, { cause });
    }
    const responseHeaders = new Headers(response.headers);
    for (const name of ["content-length", "content-encoding", "transfer-encoding"]) responseHeaders.delete(name);
    return new Response(response.body, { status: response.status, headers: responseHeaders });
  }
}

function parseJson(text: string): Job | null {
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" ? (value as Job) : null;
  } catch {
    return null;
  }
}

/** The project and dataset that stand in for the parts a table name in the job's SQL leaves out. */
function defaultsOf(job: Job, projectId: string): Partial<TableReference> {
  const dataset = job.configuration?.query?.defaultDataset;
  return { projectId: dataset?.projectId ?? projectId, datasetId: dataset?.datasetId };
}

/**
 * Sets what BigQuery reports on a query job and the emulator leaves out: the statement type
 * (the emulator always says SELECT) and, for CREATE TABLE … AS SELECT, the created table.
 * A job the emulator already describes otherwise is left alone.
 */
function fixJob(job: Job, projectId: string): Job {
  const sql = job.configuration?.query?.query;
  if (typeof sql !== "string") return job;
  const queryStatistics = ((job.statistics ??= {}).query ??= {});
  if (queryStatistics.statementType && queryStatistics.statementType !== "SELECT") return job;
  const query = describeQuery(sql, defaultsOf(job, projectId));
  queryStatistics.statementType = query.type;
  const target = query.statements.length === 1 ? query.statements[0]!.target : undefined;
  if (target && query.type !== "SELECT") queryStatistics.ddlTargetTable ??= target;
  if (target && query.type === "CREATE_TABLE_AS_SELECT") job.configuration!.query!.destinationTable ??= target;
  return job;
}
