{#-
    Incremental watermarks: after each build of an incremental model, a row in
    `dbt_incremental_watermarks` records up to when rows had landed for that build (the run's
    start). The next incremental build rebuilds what landed after it.

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


{#- post-hook of every incremental model: this build read the rows landed by the run's start. -#}
{% macro record_watermark() -%}
    insert into {{ watermarks_relation() }} (model_name, landed_by, invocation_id)
    values ('{{ this.identifier }}', {{ run_started_at_literal() }}, '{{ invocation_id }}')
{%- endmacro %}


{#-
    SQL for the watermark of this model's previous build; the epoch when there is none (a
    model built before the log existed is rebuilt whole once, which is always correct).
    Unit tests override this macro with a fixed timestamp.
-#}
{% macro previous_build_landed_by() -%}
    (
        select coalesce(max(landed_by), cast('1970-01-01 00:00:00' as {{ dbt.type_timestamp() }}))
        from {{ watermarks_relation() }}
        where model_name = '{{ this.identifier }}'
    )
{%- endmacro %}
