{#-
    The local landing files as the `kafka_ecom_events` source reads them; keep in step with
    `external_location` in models/staging/_kafka__sources.yml.
-#}
{% macro landing_glob() -%}
    {{ env_var('WAREHOUSE_DIR', env_var('DBT_PROJECT_DIR', '.') ~ '/../.local/warehouse') }}/raw/kafka_ecom_events/event_date=*/*.parquet
{%- endmacro %}


{#-
    on-run-start check: with no landing file yet DuckDB only says "No files found that match
    the pattern" from deep inside the staging view. Fail first, saying what to do. BigQuery
    needs no check: its "Not found: Table ...kafka_ecom_events" is already clear.
-#}
{% macro assert_landing_data_exists() -%}
    {{ return(adapter.dispatch('assert_landing_data_exists', 'ecom_events')()) }}
{%- endmacro %}

{% macro default__assert_landing_data_exists() -%}
{%- endmacro %}

{% macro duckdb__assert_landing_data_exists() -%}
    {#- Only commands that read the landing; `docs generate` and `compile` work without it. -#}
    {%- if execute and flags.WHICH in ['build', 'run', 'test', 'retry', 'freshness'] -%}
        {%- set found = run_query("select count(*) from glob('" ~ landing_glob() ~ "')") -%}
        {%- if found.columns[0].values()[0] == 0 -%}
            {{ exceptions.raise_compiler_error(
                "No landing files match " ~ landing_glob() ~ ". Load some events first "
                ~ "(`just consume`), or point WAREHOUSE_DIR at the warehouse that holds them."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
