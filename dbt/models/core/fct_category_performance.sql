{#-
    Daily funnel per category: views, carts and purchases, who did them, and the step
    rates. Events without a category_code form their own row (category_code NULL).
    The add-to-cart event is `cart` (the original pipeline counted `add_to_cart`, which the
    data never contains, so its cart numbers were always zero).
    Incremental: a run rebuilds the days that received new rows.
-#}

{{ config(**incremental_by_day(reads='stg_ecom_events', cluster_by=['category_code'])) }}

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
        category_code,
        min(category_level_1) as category_level_1,
        min(category_level_2) as category_level_2,
        min(category_level_3) as category_level_3,
        count(*) as event_count,
        count(case when event_type = 'view' then 1 end) as view_count,
        count(case when event_type = 'cart' then 1 end) as cart_count,
        count(case when event_type = 'remove_from_cart' then 1 end) as remove_from_cart_count,
        count(case when event_type = 'purchase' then 1 end) as purchase_count,
        coalesce(
            sum(case when event_type = 'purchase' then {{ to_money('price') }} end), 0
        ) as revenue,
        count(distinct case when event_type = 'view' then user_id end) as unique_viewer_count,
        count(distinct case when event_type = 'purchase' then user_id end) as unique_buyer_count,
        max(ingested_at) as last_ingested_at

    from events_to_rebuild
    group by 1, 2

),

final as (

    select
        {{ surrogate_key(['event_date', 'category_code']) }} as category_performance_id,
        event_date,
        category_code,
        category_level_1,
        category_level_2,
        category_level_3,
        event_count,
        view_count,
        cart_count,
        remove_from_cart_count,
        purchase_count,
        revenue,
        unique_viewer_count,
        unique_buyer_count,
        -- Event ratios, not user ratios; NULL when the step before had no events.
        cast(cart_count as {{ type_double() }}) / nullif(view_count, 0) as view_to_cart_rate,
        cast(purchase_count as {{ type_double() }}) / nullif(cart_count, 0) as cart_to_purchase_rate,
        last_ingested_at

    from daily

)

select * from final
