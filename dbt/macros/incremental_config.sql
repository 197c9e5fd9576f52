{#-
    Model configs for the two incremental shapes of this project, per warehouse. Models call
    `{{ config(**incremental_by_day(...)) }}` or `{{ config(**incremental_by_key(...)) }}`.

    Problem: dbt-duckdb rejects BigQuery's `partition_by` dict, and BigQuery has no
    delete+insert strategy. Solution: dispatch on the adapter, so partitioning and clustering
    only ever reach BigQuery, and each warehouse gets the strategy that replaces whole
    days / keys:
      - DuckDB: delete+insert on the key (deletes every row of a rebuilt day or session, so
        rows that no longer exist in the rebuilt slice cannot linger).
      - BigQuery: insert_overwrite of the rebuilt day partitions, or merge on the row key.
    Each build appends its watermark (macros/watermarks.sql) in a post-hook.
-#}

{#- Day-grain aggregates: every run rebuilds the days that received new rows. -#}
{% macro incremental_by_day(cluster_by=none) -%}
    {{ return(adapter.dispatch('incremental_by_day', 'ecom_events')(cluster_by)) }}
{%- endmacro %}

{% macro default__incremental_by_day(cluster_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'event_date',
        'on_schema_change': 'fail',
        'post_hook': ['{{ record_watermark() }}'],
    }) }}
{%- endmacro %}

{% macro bigquery__incremental_by_day(cluster_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': {'field': 'event_date', 'data_type': 'date', 'granularity': 'day'},
        'cluster_by': cluster_by,
        'on_schema_change': 'fail',
        'post_hook': ['{{ record_watermark() }}'],
    }) }}
{%- endmacro %}


{#-
    Models rebuilt per entity (session, product): `rebuild_key` is what a run rebuilds whole
    (DuckDB deletes and re-inserts every row with that key); `row_key` identifies one row
    (BigQuery merges on it). They differ for one-row-per-event models.
-#}
{% macro incremental_by_key(rebuild_key, row_key=none, partition_date=none, cluster_by=none) -%}
    {{ return(adapter.dispatch('incremental_by_key', 'ecom_events')(
        rebuild_key, row_key or rebuild_key, partition_date, cluster_by
    )) }}
{%- endmacro %}

{% macro default__incremental_by_key(rebuild_key, row_key, partition_date, cluster_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': rebuild_key,
        'on_schema_change': 'fail',
        'post_hook': ['{{ record_watermark() }}'],
    }) }}
{%- endmacro %}

{% macro bigquery__incremental_by_key(rebuild_key, row_key, partition_date, cluster_by) -%}
    {%- set config = {
        'materialized': 'incremental',
        'incremental_strategy': 'merge',
        'unique_key': row_key,
        'cluster_by': cluster_by,
        'on_schema_change': 'fail',
        'post_hook': ['{{ record_watermark() }}'],
    } -%}
    {%- if partition_date -%}
        {%- do config.update({
            'partition_by': {'field': partition_date, 'data_type': 'date', 'granularity': 'day'},
        }) -%}
    {%- endif -%}
    {{ return(config) }}
{%- endmacro %}
