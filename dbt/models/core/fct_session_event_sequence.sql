{#-
    Every event of a session in order: its position, the event before it and the seconds
    since then. Events without a session id are left out (they belong to no sequence).
    Ties in event time are broken by Kafka coordinates: the producer keys by user, so one
    user's events sit in one partition in the order they were sent.
    Incremental: a run rebuilds every session that received new rows, so an event that
    lands late is slotted into its place and the positions after it move.
-#}

{{ config(**incremental_by_key(
    reads='stg_ecom_events',
    rebuild_key='session_id',
    row_key='event_id',
    partition_date='event_date',
    cluster_by=['session_id'],
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

sequenced as (

    select
        event_id,
        session_id,
        user_id,
        event_at,
        event_date,
        event_type,
        product_id,
        category_code,
        brand,
        price,
        row_number() over session_order as event_number,
        lag(event_type) over session_order as previous_event_type,
        lag(event_at) over session_order as previous_event_at,
        ingested_at

    from events_to_rebuild
    window session_order as (
        partition by session_id
        order by event_at, kafka_partition, kafka_offset
    )

),

final as (

    select
        event_id,
        session_id,
        user_id,
        event_number,
        event_at,
        event_date,
        event_type,
        product_id,
        category_code,
        brand,
        price,
        previous_event_type,
        previous_event_at,
        {{ seconds_between('previous_event_at', 'event_at') }} as seconds_since_previous_event,
        event_number = 1 as is_first_event,
        ingested_at

    from sequenced

)

select * from final
