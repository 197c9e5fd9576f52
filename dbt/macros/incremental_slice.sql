{#-
    Which rows a model (re)builds.

    Every model reads only rows that had landed when the run started (`landed_by_run_start`),
    so all models of one `dbt build` see the same rows even while the consumer keeps adding
    files, and tests that compare models agree.

    An incremental run then rebuilds only the days / sessions / products that received rows
    since the model's previous build, reading all rows of those keys again: aggregates over a
    whole day or session come out exactly as in a full refresh. "Since the previous build"
    means: landed after that build's run started (the watermark in macros/watermarks.sql),
    minus `landing_lookback_minutes` for rows that were stamped before it started but became
    visible only after it had read them (a file renamed into place, a streaming insert).
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
    previous build; all rows on a first build or a full refresh.
-#}
{% macro rows_to_rebuild(relation, key) -%}
    {%- if is_incremental() -%}
    select *
    from {{ relation }}
    where {{ key }} in (
        select {{ key }}
        from {{ relation }}
        where ingested_at > {{ minutes_before(previous_build_landed_by(), var('landing_lookback_minutes')) }}
    )
    {%- else -%}
    select * from {{ relation }}
    {%- endif -%}
{%- endmacro %}
