{#-
    One row per day: events by type, revenue, unique users, sessions and how many of them
    converted. A session that spans midnight counts on each day it has events, and converts
    on the day of its purchase.
    Incremental: a run rebuilds the days that received new rows.
-#}

{{ config(**incremental_by_day(reads='stg_ecom_events')) }}

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
        count(*) as event_count,
        count(case when event_type = 'view' then 1 end) as view_count,
        count(case when event_type = 'cart' then 1 end) as cart_count,
        count(case when event_type = 'remove_from_cart' then 1 end) as remove_from_cart_count,
        count(case when event_type = 'purchase' then 1 end) as purchase_count,
        coalesce(
            sum(case when event_type = 'purchase' then {{ to_money('price') }} end), 0
        ) as revenue,
        count(distinct user_id) as unique_user_count,
        count(distinct case when event_type = 'purchase' then user_id end) as unique_buyer_count,
        count(distinct session_id) as session_count,
        count(distinct case when event_type = 'purchase' then session_id end)
            as converted_session_count,
        max(ingested_at) as last_ingested_at

    from events_to_rebuild
    group by 1

),

final as (

    select
        event_date,
        event_count,
        view_count,
        cart_count,
        remove_from_cart_count,
        purchase_count,
        revenue,
        unique_user_count,
        unique_buyer_count,
        session_count,
        converted_session_count,
        cast(converted_session_count as {{ type_double() }}) / nullif(session_count, 0)
            as session_conversion_rate,
        last_ingested_at

    from daily

)

select * from final
