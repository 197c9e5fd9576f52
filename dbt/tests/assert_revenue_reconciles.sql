{#-
    Revenue agrees everywhere: for every day, the purchase prices in staging equal the
    revenue of each day-grain fact. Staging is read up to the newest row the facts were
    built from, so rows that land while the tests run do not count. Returns the days that
    disagree or are missing from a model.
-#}

with

landed as (

    select max(last_ingested_at) as landed_by from {{ ref('fct_daily_kpis') }}

),

staged as (

    select
        event_date,
        coalesce(
            sum(case when event_type = 'purchase' then {{ to_money('price') }} end), 0
        ) as revenue

    from {{ ref('stg_ecom_events') }}
    where event_date is not null
        and ingested_at <= (select landed_by from landed)
    group by 1

),

per_model as (

    select 'stg_ecom_events' as model_name, event_date, revenue from staged

    union all

    select 'fct_daily_kpis', event_date, revenue from {{ ref('fct_daily_kpis') }}

    union all

    select 'fct_ecommerce_events', event_date, sum(revenue)
    from {{ ref('fct_ecommerce_events') }}
    group by 2

    union all

    select 'fct_category_performance', event_date, sum(revenue)
    from {{ ref('fct_category_performance') }}
    group by 2

),

final as (

    select
        event_date,
        count(*) as model_count,
        min(revenue) as min_revenue,
        max(revenue) as max_revenue

    from per_model
    group by 1
    having count(*) <> 4 or min(revenue) <> max(revenue)

)

select * from final
