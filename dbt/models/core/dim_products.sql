{#-
    One row per product with its most recent known brand, category and price: the values
    of its latest event that carries them (a later event with the brand missing does not
    erase a known brand). Ties in event time are broken by Kafka coordinates.
    Incremental: a run rebuilds the products that received new rows.
-#}

{{ config(**incremental_by_key(
    reads='stg_ecom_events',
    rebuild_key='product_id',
    cluster_by=['product_id'],
)) }}

{%- set newest_first = 'event_at desc, kafka_partition desc, kafka_offset desc' %}

with

events as (

    select * from {{ ref('stg_ecom_events') }}
    where product_id is not null

),

events_to_rebuild as (

    {{ rows_to_rebuild('events', 'product_id', ref('stg_ecom_events')) }}

),

products as (

    select
        product_id,
        {{ latest_non_null('brand', newest_first) }} as brand,
        {{ latest_non_null('category_id', newest_first) }} as category_id,
        {{ latest_non_null('category_code', newest_first) }} as category_code,
        {{ latest_non_null('price', newest_first) }} as price,
        min(event_at) as first_seen_at,
        max(event_at) as last_seen_at,
        max(ingested_at) as last_ingested_at

    from events_to_rebuild
    group by 1

),

final as (

    select
        product_id,
        brand,
        category_id,
        category_code,
        nullif({{ dbt.split_part('category_code', "'.'", 1) }}, '') as category_level_1,
        nullif({{ dbt.split_part('category_code', "'.'", 2) }}, '') as category_level_2,
        nullif({{ dbt.split_part('category_code', "'.'", 3) }}, '') as category_level_3,
        price,
        first_seen_at,
        last_seen_at,
        last_ingested_at

    from products

)

select * from final
