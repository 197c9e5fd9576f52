{#-
    Which rows a model (re)builds.

    Staging reads only rows that had landed when the run started (`landed_by_run_start`), so
    all models of one `dbt build` see the same rows even while the consumer keeps adding
    files, and tests that compare models agree. On an incremental build it appends the
    records landed since its previous build (models/staging/stg_ecom_events.sql), each
    stamped with `staged_at`, the start of the run that staged it.

    The core models then rebuild only the days / sessions / products that received rows
    since the model's previous build, reading all rows of those keys again: aggregates over a
    whole day or session come out exactly as in a full refresh. "Since the previous build"
    means: staged after the staging build that model read last (its watermark,
    macros/watermarks.sql). Staging is a table dbt writes, so this needs no lookback: a
    staged row is visible once its build has finished, and the lookback for rows that
    become visible late in the landing (`landing_lookback_minutes`) is staging's alone. With
    a lookback here, every build would rebuild everything landed in the minutes before the
    previous build — after a bulk load, everything.
-#}

{#- The moment this invocation started, as a UTC TIMESTAMP literal. -#}
{% macro run_started_at_literal() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- A WHERE condition: the row had landed when this run started. -#}
{% macro landed_by_run_start(ingested_at='ingested_at') -%}
    {{ ingested_at }} <= {{ run_started_at_literal() }}
{%- endmacro %}


{#-
    Selects the rows of `relation` (a CTE name) whose `key` received rows since this model's
    previous build; all rows on a first build or a full refresh. The new rows are looked up
    in `staged_in` (the staging table itself), not in `relation`:

    Problem: a CTE read twice is materialized whole by DuckDB before either read is filtered
    (10M rows: every incremental model copied all staging rows, ~2 s each). Solution: the
    CTE is read once; the keys with new rows come from a scan of the table whose `staged_at`
    filter is a constant (macros/watermarks.sql), which skips every row group staged before
    it (staging only appends), and DuckDB pushes the min/max of the keys found into the
    CTE's scan. Keys found among rows `relation` leaves out only cost a rebuild that changes
    nothing.
-#}
{% macro rows_to_rebuild(relation, key, staged_in) -%}
    {%- if is_incremental() -%}
    select *
    from {{ relation }}
    where {{ key }} in (
        select {{ key }}
        from {{ staged_in }}
        where staged_at > {{ previous_build_landed_by() }}
    )
    {%- else -%}
    select * from {{ relation }}
    {%- endif -%}
{%- endmacro %}
