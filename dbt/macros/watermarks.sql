{#-
    Incremental watermarks: after each build of an incremental model, a row in
    `dbt_incremental_watermarks` records how far the rows it read reach. Staging read the
    landing up to the run's start; a core model read staging, which holds the rows landed by
    staging's latest build. The next incremental build reads what came after: staging the
    rows landed later (minus `landing_lookback_minutes`), a core model the rows staged later.

    Why not max(ingested_at) of the model itself: the newest rows of a build would then be
    re-read by every following build (the lookback reaches back from them), so an idle stream
    would keep rebuilding its last days. Why a log: appending is one plain INSERT on every
    warehouse, it runs as a post-hook inside the model's transaction where the warehouse has
    one (DuckDB), and a lost row only makes the next build re-read more, never less.
-#}

{% macro watermarks_relation() -%}
    {{ return(api.Relation.create(
        database=target.database,
        schema=target.schema,
        identifier='dbt_incremental_watermarks',
        type='table',
    )) }}
{%- endmacro %}


{#- on-run-start: the log exists before any model reads or appends to it. -#}
{% macro create_watermarks_table() -%}
    create table if not exists {{ watermarks_relation() }} (
        model_name {{ dbt.type_string() }},
        landed_by {{ dbt.type_timestamp() }},
        invocation_id {{ dbt.type_string() }}
    )
{%- endmacro %}


{#-
    post-hook of every incremental model: how far the rows this build read reach.

    Staging read the landing up to the run's start. A core model (`read_from`: the staging
    model) read the rows staging held: those staged by staging's latest recorded build, at
    the latest the run's start. Its next build takes the rows staged after that. Recording
    the run's start instead would skip rows a concurrent run (BigQuery) was staging while
    this one read staging: they carry that run's earlier start as `staged_at`.
-#}
{% macro record_watermark(read_from=none) -%}
    insert into {{ watermarks_relation() }} (model_name, landed_by, invocation_id)
    {%- if read_from %}
    select
        '{{ this.identifier }}',
        least({{ run_started_at_literal() }}, coalesce(max(landed_by), {{ run_started_at_literal() }})),
        '{{ invocation_id }}'
    from {{ watermarks_relation() }}
    where model_name = '{{ read_from }}'
    {%- else %}
    values ('{{ this.identifier }}', {{ run_started_at_literal() }}, '{{ invocation_id }}')
    {%- endif %}
{%- endmacro %}


{#-
    The watermark of this model's previous build as a TIMESTAMP literal; the epoch when there is
    none (a model built before the log existed is rebuilt whole once, which is always correct).

    Why a literal read at compile time (dbt compiles each model just before running it, after
    its parents were built) rather than a scalar subquery: only a constant reaches the scans.
    DuckDB then skips every Parquet row group of the landing whose `_ingested_at` maximum,
    and every row group of the staging table whose `staged_at` maximum, lies before it
    (their min/max statistics), so an incremental build reads the new rows, not all rows; a
    subquery is evaluated as a join after the full scan. BigQuery prunes only on constants
    too. Unit tests override this macro with a fixed timestamp.
-#}
{% macro previous_build_landed_by() -%}
    {%- set epoch = "cast('1970-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")" -%}
    {#- At parse time nothing is queried; a missing log means no build recorded anything. -#}
    {%- if not execute -%}{{ return(epoch) }}{%- endif -%}
    {%- set log = adapter.get_relation(
        database=watermarks_relation().database,
        schema=watermarks_relation().schema,
        identifier=watermarks_relation().identifier,
    ) -%}
    {%- if log is none -%}{{ return(epoch) }}{%- endif -%}
    {%- set found = run_query(
        "select max(landed_by) from " ~ log ~ " where model_name = '" ~ this.identifier ~ "'"
    ) -%}
    {%- set landed_by = found.columns[0].values()[0] -%}
    {%- if landed_by is none -%}{{ return(epoch) }}{%- endif -%}
    {{ return("cast('" ~ landed_by.strftime("%Y-%m-%d %H:%M:%S.%f") ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}


{#-
    Staging: rows landed since its previous build have an `_ingested_at` after that build's
    watermark minus `landing_lookback_minutes` (rows stamped before that build started that
    became visible only after it had read the landing). A constant, see above.
-#}
{% macro new_rows_landed_after() -%}
    {{ minutes_before(previous_build_landed_by(), var('landing_lookback_minutes')) }}
{%- endmacro %}
