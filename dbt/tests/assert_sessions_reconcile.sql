{#-
    Sessions agree with their events: every session's event count and revenue in
    fct_sessions equal those of its rows in fct_session_event_sequence and in staging, and
    its events are numbered 1..n without gaps. Returns the sessions that disagree.
-#}

with

landed as (

    select max(last_ingested_at) as landed_by from {{ ref('fct_sessions') }}

),

staged as (

    select
        session_id,
        count(*) as event_count,
        coalesce(
            sum(case when event_type = 'purchase' then {{ to_money('price') }} end), 0
        ) as revenue

    from {{ ref('stg_ecom_events') }}
    where session_id is not null
        and event_at is not null
        and ingested_at <= (select landed_by from landed)
    group by 1

),

sequenced as (

    select
        session_id,
        count(*) as event_count,
        coalesce(
            sum(case when event_type = 'purchase' then {{ to_money('price') }} end), 0
        ) as revenue,
        min(event_number) as min_event_number,
        max(event_number) as max_event_number

    from {{ ref('fct_session_event_sequence') }}
    group by 1

),

sessions as (

    select session_id, event_count, revenue from {{ ref('fct_sessions') }}

),

final as (

    select
        coalesce(sessions.session_id, staged.session_id, sequenced.session_id) as session_id,
        sessions.event_count as session_event_count,
        staged.event_count as staged_event_count,
        sequenced.event_count as sequenced_event_count,
        sessions.revenue as session_revenue,
        staged.revenue as staged_revenue

    from sessions
    full outer join staged
        on sessions.session_id = staged.session_id
    full outer join sequenced
        on coalesce(sessions.session_id, staged.session_id) = sequenced.session_id
    where sessions.session_id is null
        or staged.session_id is null
        or sequenced.session_id is null
        or sessions.event_count <> staged.event_count
        or sessions.event_count <> sequenced.event_count
        or sessions.revenue <> staged.revenue
        or sessions.revenue <> sequenced.revenue
        or sequenced.min_event_number <> 1
        or sequenced.max_event_number <> sequenced.event_count

)

select * from final
