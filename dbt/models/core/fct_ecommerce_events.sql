{#-
    Daily activity per event type and product (with its category and brand that day):
    how many events, from how many users, and the revenue of purchases.
    Incremental: a run rebuilds the days that received new rows.
-#}

{{ config(**incremental_by_day(
    reads='stg_ecom_events',
    cluster_by=['event_type', 'product_id', 'category_code'],
)) }}

with

events as (

    select * from {{ ref('stg_ecom_events') }}
    where event_date is not null

),

events_to_rebuild as (

    {{ rows_to_rebuild('events', 'event_date', ref('stg_ecom_events')) }}

),

daily as (

    select
        event_date,
        event_type,
        product_id,
        category_id,
        category_code,
        brand,
        count(*) as event_count,
        count(distinct user_id) as unique_user_count,
        sum(
            case when event_type = 'purchase' then {{ to_money('price') }} end
        ) as purchase_revenue,
        max(ingested_at) as last_ingested_at

    from events_to_rebuild
    group by 1, 2, 3, 4, 5, 6

),

final as (

    select
        {{ surrogate_key([
            'event_date', 'event_type', 'product_id', 'category_id', 'category_code', 'brand',
        ]) }} as daily_product_event_id,
        event_date,
        event_type,
        product_id,
        category_id,
        category_code,
        brand,
        event_count,
        unique_user_count,
        coalesce(purchase_revenue, 0) as revenue,
        last_ingested_at

    from daily

)

select * from final
