"""Independent reader of the local landing files for test/sinks/parquet*.test.ts.

Reads what the Bun sink wrote with other implementations: the venv's Python duckdb for the
hive-partitioned table, pyarrow for the Parquet files themselves (codecs, logical types, order).

    python parquet_reader.py summary <landing-root>
        prints one JSON object describing the table and every file
    python parquet_reader.py poll <landing-root> <stop-file>
        prints "ready", then reads every complete file in a loop until <stop-file> exists, then
        prints a JSON object with the number of scans, the row counts seen, and every error met
"""

import glob
import json
import os
import sys
import time

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq

SORT_KEYS = ["event_type", "product_id", "category_code"]


def landing_glob(root):
    return os.path.join(root, "event_date=*", "*.parquet")


def file_summary(path):
    meta = pq.read_metadata(path)
    table = pq.read_table(path)
    codecs = sorted(
        {meta.row_group(g).column(c).compression for g in range(meta.num_row_groups) for c in range(meta.num_columns)}
    )
    order = pc.sort_indices(table, sort_keys=[(key, "ascending", "at_end") for key in SORT_KEYS])
    # Stable sort of an already sorted table is the identity permutation.
    is_sorted = order.to_pylist() == list(range(table.num_rows))
    event_time = table.schema.field("event_time").type
    return {
        "name": os.path.relpath(path, os.path.dirname(os.path.dirname(path))),
        "rows": meta.num_rows,
        "codecs": codecs,
        "sorted": is_sorted,
        "arrow_schema": [f"{field.name}:{field.type}" for field in table.schema],
        "event_time_tz": event_time.tz,
        "event_time_unit": event_time.unit,
        "min_event_date": str(pc.min(table["event_time"]).as_py().date()) if table.num_rows else None,
        "max_event_date": str(pc.max(table["event_time"]).as_py().date()) if table.num_rows else None,
    }


def summary(root):
    files = sorted(glob.glob(landing_glob(root)))
    con = duckdb.connect()
    source = f"read_parquet('{landing_glob(root)}', hive_partitioning = true)"
    columns = con.execute(f"describe select * from {source}").fetchall()
    count, coordinates = con.execute(
        f"select count(*), count(distinct (_kafka_partition, _kafka_offset)) from {source}"
    ).fetchone()
    nulls = con.execute(
        f"select {', '.join(f'count(*) - count({name})' for name, *_ in columns)} from {source}"
    ).fetchone()
    rows = con.execute(
        f"""select _kafka_partition, _kafka_offset, epoch_us(event_time), event_type, product_id, category_id,
                   category_code, brand, price, user_id, user_session, epoch_us(_ingested_at), event_date::varchar
            from {source} order by _kafka_partition, _kafka_offset, epoch_us(_ingested_at)"""
    ).fetchall()
    return {
        "count": count,
        "distinct_coordinates": coordinates,
        "columns": {name: type_ for name, type_, *_ in columns},
        "nulls": {name: n for (name, *_), n in zip(columns, nulls)},
        "rows": rows,
        "files": [file_summary(path) for path in files],
    }


def poll(root, stop_file):
    scans, errors, counts = 0, [], []
    print("ready", flush=True)  # imports done: the test starts writing now
    stopping = False
    while not stopping:
        # One last scan after the stop file appears: it sees everything written before.
        stopping = os.path.exists(stop_file)
        files = sorted(glob.glob(landing_glob(root)))
        if not files:
            time.sleep(0.002)
            continue
        try:
            for path in files:
                pq.read_metadata(path)  # a partial file has no valid footer
            con = duckdb.connect()
            counts.append(con.execute("select count(*) from read_parquet(?)", [files]).fetchone()[0])
            con.close()
        except Exception as error:  # noqa: BLE001 — every failure is the finding
            errors.append(str(error))
        scans += 1
    print(json.dumps({"scans": scans, "errors": errors, "counts": counts}))


if __name__ == "__main__":
    mode, root = sys.argv[1], sys.argv[2]
    if mode == "summary":
        print(json.dumps(summary(root), default=str))
    elif mode == "poll":
        poll(root, sys.argv[3])
    else:
        sys.exit(f"unknown mode {mode}")
