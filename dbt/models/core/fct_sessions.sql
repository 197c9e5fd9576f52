{#-
    One row per session: when it started and ended, what happened in it, and whether it
    ended in a purchase. Events without a session id are left out.
    Incremental: a run rebuilds every session that received new rows.
-#}

{{ config(**incremental_by_key(
    reads='stg_ecom_events',
    rebuild_key='session_id',
    partition_date='session_date',
    cluster_by=['user_id'],
)) }}

with

events as (

    select * from {{ ref('stg_ecom_events') }}
    where session_id is not null
        and event_at is not null

),

events_to_rebuild as (

    {{ rows_to_rebuild('events', 'session_id', ref('stg_ecom_events')) }}

),

sessions as (

    select
        session_id,
        -- A session belongs to one user; should the data ever share one, pick stably.
        min(user_id) as user_id,
        min(event_at) as session_started_at,
        max(event_at) as session_ended_at,
        count(*) as event_count,
        count(case when event_type = 'view' then 1 end) as view_count,
        count(case when event_type = 'cart' then 1 end) as cart_count,
        count(case when event_type = 'remove_from_cart' then 1 end) as remove_from_cart_count,
        count(case when event_type = 'purchase' then 1 end) as purchase_count,
        count(distinct product_id) as product_count,
        coalesce(
            sum(case when event_type = 'purchase' then {{ to_money('price') }} end), 0
        ) as revenue,
        max(ingested_at) as last_ingested_at

    from events_to_rebuild
    group by 1

),

final as (

    select
        session_id,
        user_id,
        session_started_at,
        session_ended_at,
        cast(session_started_at as date) as session_date,
        {{ seconds_between('session_started_at', 'session_ended_at') }} as session_duration_seconds,
        event_count,
        view_count,
        cart_count,
        remove_from_cart_count,
        purchase_count,
        product_count,
        revenue,
        purchase_count > 0 as is_converted,
        last_ingested_at

    from sessions

)

select * from final
