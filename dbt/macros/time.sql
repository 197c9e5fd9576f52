{#-
    Timestamp arithmetic. `dbt.dateadd` and `dbt.datediff` cast to DATETIME on BigQuery, which
    then no longer compares with the TIMESTAMP columns, and DuckDB's `datediff` counts whole
    boundaries; these keep TIMESTAMPs and microsecond precision on both warehouses.
-#}

{#- Seconds (with fractions) from `start_at` to `end_at`. -#}
{% macro seconds_between(start_at, end_at) -%}
    {{ return(adapter.dispatch('seconds_between', 'ecom_events')(start_at, end_at)) }}
{%- endmacro %}

{% macro default__seconds_between(start_at, end_at) -%}
    (epoch_us({{ end_at }}) - epoch_us({{ start_at }})) / 1000000.0
{%- endmacro %}

{% macro bigquery__seconds_between(start_at, end_at) -%}
    timestamp_diff({{ end_at }}, {{ start_at }}, microsecond) / 1000000.0
{%- endmacro %}


{#- `timestamp` minus a whole number of minutes, still a TIMESTAMP. -#}
{% macro minutes_before(timestamp, minutes) -%}
    {{ return(adapter.dispatch('minutes_before', 'ecom_events')(timestamp, minutes)) }}
{%- endmacro %}

{% macro default__minutes_before(timestamp, minutes) -%}
    ({{ timestamp }} - interval '{{ minutes | int }} minutes')
{%- endmacro %}

{% macro bigquery__minutes_before(timestamp, minutes) -%}
    timestamp_sub({{ timestamp }}, interval {{ minutes | int }} minute)
{%- endmacro %}
