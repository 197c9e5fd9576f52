{#-
    Event counts agree everywhere: for every day, staging, the daily KPIs, the product facts
    and the category facts count the same events of each type. Staging is read up to the
    newest row the facts were built from. Returns the days that disagree.
-#}

with

landed as (

    select max(last_ingested_at) as landed_by from {{ ref('fct_daily_kpis') }}

),

staged as (

    select * from {{ ref('stg_ecom_events') }}
    where event_date is not null
        and ingested_at <= (select landed_by from landed)

),

per_model as (

    select
        'stg_ecom_events' as model_name,
        event_date,
        count(*) as event_count,
        count(case when event_type = 'view' then 1 end) as view_count,
        count(case when event_type = 'cart' then 1 end) as cart_count,
        count(case when event_type = 'purchase' then 1 end) as purchase_count
    from staged
    group by 2

    union all

    select 'fct_daily_kpis', event_date, event_count, view_count, cart_count, purchase_count
    from {{ ref('fct_daily_kpis') }}

    union all

    select
        'fct_ecommerce_events',
        event_date,
        sum(event_count),
        sum(case when event_type = 'view' then event_count else 0 end),
        sum(case when event_type = 'cart' then event_count else 0 end),
        sum(case when event_type = 'purchase' then event_count else 0 end)
    from {{ ref('fct_ecommerce_events') }}
    group by 2

    union all

    select
        'fct_category_performance',
        event_date,
        sum(event_count),
        sum(view_count),
        sum(cart_count),
        sum(purchase_count)
    from {{ ref('fct_category_performance') }}
    group by 2

),

final as (

    select
        event_date,
        count(*) as model_count,
        min(event_count) as min_event_count,
        max(event_count) as max_event_count

    from per_model
    group by 1
    having count(*) <> 4
        or min(event_count) <> max(event_count)
        or min(view_count) <> max(view_count)
        or min(cart_count) <> max(cart_count)
        or min(purchase_count) <> max(purchase_count)

)

select * from final
