{#-
    Column types the built-in `dbt.type_*` macros get wrong for us: `dbt.type_float()` is a
    4-byte REAL on DuckDB (prices need a double), and money must be an exact decimal so that
    sums do not depend on the order rows are added in (an incremental run and a full refresh
    must produce identical revenue).
-#}

{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'ecom_events')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}


{% macro type_money() -%}
    {{ return(adapter.dispatch('type_money', 'ecom_events')()) }}
{%- endmacro %}

{% macro default__type_money() -%}
    decimal(18, 2)
{%- endmacro %}

{#- BigQuery NUMERIC has scale 9; the price is rounded to cents before the cast. -#}
{% macro bigquery__type_money() -%}
    numeric
{%- endmacro %}


{#- A price as money: rounded to cents, exact. -#}
{% macro to_money(expression) -%}
    cast(round({{ expression }}, 2) as {{ type_money() }})
{%- endmacro %}
