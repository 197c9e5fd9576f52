{#-
    Aggregate: the value of `column` on the row that comes first in `order_by` among the rows
    where it is not NULL ("the most recent known brand"). Window functions with IGNORE NULLS
    would be portable SQL, but the BigQuery emulator ignores IGNORE NULLS and returns NULL.
-#}
{% macro latest_non_null(column, order_by) -%}
    {{ return(adapter.dispatch('latest_non_null', 'ecom_events')(column, order_by)) }}
{%- endmacro %}

{% macro default__latest_non_null(column, order_by) -%}
    first({{ column }} order by {{ order_by }}) filter (where {{ column }} is not null)
{%- endmacro %}

{% macro bigquery__latest_non_null(column, order_by) -%}
    array_agg({{ column }} ignore nulls order by {{ order_by }} limit 1)[safe_offset(0)]
{%- endmacro %}
