{#-
    Model configs for the incremental shapes of this project, per warehouse. Core models call
    `{{ config(**incremental_by_day(...)) }}` or `{{ config(**incremental_by_key(...)) }}`,
    staging `{{ config(**incremental_append(...)) }}` (at the end of this file).

    Problem: dbt-duckdb rejects BigQuery's `partition_by` dict, and BigQuery has no
    delete+insert strategy. Solution: dispatch on the adapter, so partitioning and clustering
    only ever reach BigQuery, and each warehouse gets the strategy that replaces whole
    days / keys:
      - DuckDB: delete+insert on the key (deletes every row of a rebuilt day or session, so
        rows that no longer exist in the rebuilt slice cannot linger).
      - BigQuery: insert_overwrite of the rebuilt day partitions, or merge on the row key.
    Each build appends its watermark (macros/watermarks.sql) in a post-hook; `reads` names
    the incremental model the core models read (staging), whose watermark bounds theirs.
-#}

{#- Day-grain aggregates: every run rebuilds the days that received new rows. -#}
{% macro incremental_by_day(reads, cluster_by=none) -%}
    {{ return(adapter.dispatch('incremental_by_day', 'ecom_events')(reads, cluster_by)) }}
{%- endmacro %}

{% macro default__incremental_by_day(reads, cluster_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'event_date',
        'on_schema_change': 'fail',
        'post_hook': ["{{ record_watermark('" ~ reads ~ "') }}"],
    }) }}
{%- endmacro %}

{% macro bigquery__incremental_by_day(reads, cluster_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': {'field': 'event_date', 'data_type': 'date', 'granularity': 'day'},
        'cluster_by': cluster_by,
        'on_schema_change': 'fail',
        'post_hook': ["{{ record_watermark('" ~ reads ~ "') }}"],
    }) }}
{%- endmacro %}


{#-
    Models rebuilt per entity (session, product): `rebuild_key` is what a run rebuilds whole
    (DuckDB deletes and re-inserts every row with that key); `row_key` identifies one row
    (BigQuery merges on it). They differ for one-row-per-event models.
-#}
{% macro incremental_by_key(reads, rebuild_key, row_key=none, partition_date=none, cluster_by=none) -%}
    {{ return(adapter.dispatch('incremental_by_key', 'ecom_events')(
        reads, rebuild_key, row_key or rebuild_key, partition_date, cluster_by
    )) }}
{%- endmacro %}

{% macro default__incremental_by_key(reads, rebuild_key, row_key, partition_date, cluster_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': rebuild_key,
        'on_schema_change': 'fail',
        'post_hook': ["{{ record_watermark('" ~ reads ~ "') }}"],
    }) }}
{%- endmacro %}

{% macro bigquery__incremental_by_key(reads, rebuild_key, row_key, partition_date, cluster_by) -%}
    {%- set config = {
        'materialized': 'incremental',
        'incremental_strategy': 'merge',
        'unique_key': row_key,
        'cluster_by': cluster_by,
        'on_schema_change': 'fail',
        'post_hook': ["{{ record_watermark('" ~ reads ~ "') }}"],
    } -%}
    {%- do config.update(bigquery_day_partitioning(partition_date)) -%}
    {{ return(config) }}
{%- endmacro %}


{#-
    Append-only models (staging): a run inserts the rows its SQL selects, never rewrites old
    ones; the model's SQL selects only rows that are not there yet. DuckDB: dbt's `append`.
    BigQuery has no `append` strategy: `merge` without a unique key is dbt-bigquery's append
    (`on false … when not matched then insert`), and the new rows' day partitions are the only
    ones written.
-#}
{% macro incremental_append(partition_date=none, cluster_by=none) -%}
    {{ return(adapter.dispatch('incremental_append', 'ecom_events')(partition_date, cluster_by)) }}
{%- endmacro %}

{% macro default__incremental_append(partition_date, cluster_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'post_hook': ['{{ record_watermark() }}'],
    }) }}
{%- endmacro %}

{% macro bigquery__incremental_append(partition_date, cluster_by) -%}
    {%- set config = {
        'materialized': 'incremental',
        'incremental_strategy': 'merge',
        'cluster_by': cluster_by,
        'on_schema_change': 'fail',
        'post_hook': ['{{ record_watermark() }}'],
    } -%}
    {%- do config.update(bigquery_day_partitioning(partition_date)) -%}
    {{ return(config) }}
{%- endmacro %}


{#- BigQuery's day partitioning on the DATE column `field` as model config; none without a field. -#}
{% macro bigquery_day_partitioning(field) -%}
    {%- if field -%}
        {{ return({'partition_by': {'field': field, 'data_type': 'date', 'granularity': 'day'}}) }}
    {%- endif -%}
    {{ return({}) }}
{%- endmacro %}
