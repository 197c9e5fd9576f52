{#-
    dbt-duckdb ships no `duckdb__safe_cast`, so `dbt.safe_cast` falls back to a plain `cast`
    that aborts the whole build on one bad value. DuckDB's `try_cast` returns NULL instead,
    like BigQuery's `safe_cast`. dbt looks for dispatched `dbt` macros in the root project
    first, so defining it here is enough.
-#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
