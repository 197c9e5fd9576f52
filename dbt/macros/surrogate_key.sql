{#-
    A deterministic key from several columns, NULL-safe (NULL and '' hash differently), for
    models whose grain spans nullable columns. What dbt_utils.generate_surrogate_key does; we
    cannot `dbt deps` offline, and it is a few lines over the built-in cross-database macros.
-#}
{% macro surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '_null_')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
