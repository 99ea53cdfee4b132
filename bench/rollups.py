"""Time the rollups on benchmark data, beside one bare GROUP BY query per shape.

    .venv/bin/python bench/rollups.py [--shape district|city|all] [--runs N] [--keep]

The database is DATABASE_URL's (migrated, and filled by ``bench/generate.py`` when a
shape's data are missing), or else a temporary SQLite file, removed at the end
unless ``--keep``. Each query shape runs once to warm up, then ``--runs`` times;
the script prints the median and 95th percentile, the peak of Python allocations
during one more run (tracemalloc) and the process's peak resident memory while the
shape ran (VmHWM, reset before each shape on Linux; ru_maxrss elsewhere).

The baseline is the same rows read by ONE bare SQL query: SUM(value) grouped by
indicator, subject and period, joining each row to its unit's version on the row's
first day and that version to the subject by path range. It is timed written two
ways, as a plain join and with the rows picked first (a materialised CTE), because
the planners do not always find the better order. It has none of the rules
(lineage, stocks, the other aggregations), so the ratio rollup / faster baseline is
the price of the rules over the floor cost of reading the same figures.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 - bench/ is not a package; the path is set just above

WIDTH = 56  # the query shape column


@dataclass
class Timing:
    median: float
    p95: float
    python_peak: int
    rss_peak: int


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark of resident memory (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_rss() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def measure(run: Callable[[], object], runs: int) -> Timing:
    _reset_peak_rss()
    run()  # warm-up: caches, the query planner, connection
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    run()
    _current, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Timing(statistics.median(times), percentile(times, 0.95), python_peak, _peak_rss())


# --- The baseline -----------------------------------------------------------------------


def baseline(
    indicators: list, units: list, period_list: list, *, rows_first: bool = False
) -> dict[tuple[int, int, int], Decimal]:
    """SUM(value) per (indicator, subject, period index): one GROUP BY query.

    Two ways to write it: the plain join, and ``rows_first``, which picks the rows by
    indicator and period (a materialised CTE) before placing them in the tree. Which is
    faster depends on the shape and the planner: with many subjects SQLite starts the
    plain join from the subjects and reads every indicator of each unit.
    """
    from django.db import connection

    from tiendo.indicators.models import DataValue
    from tiendo.orgs.models import UnitVersion, path_upper_bound

    paths = sorted(
        {(unit_id, path) for unit_id, path in UnitVersion.objects.filter(unit__in=units).values_list("unit_id", "path")}
    )
    subject_rows = [(unit_id, path, path_upper_bound(path)) for unit_id, path in paths]
    period_rows = [(n, p.start, p.end) for n, p in enumerate(period_list)]
    ids = [i.pk for i in indicators]
    dv, uv = DataValue._meta.db_table, UnitVersion._meta.db_table
    values = f"""
    WITH sp(subject_id, lo, hi) AS (VALUES {", ".join(["(%s, %s, %s)"] * len(subject_rows))}),
    per(pidx, pstart, pend) AS (VALUES {", ".join(["(%s, %s, %s)"] * len(period_rows))})"""
    where = f"dv.indicator_id IN ({', '.join(['%s'] * len(ids))}) AND dv.is_current = %s AND dv.state = %s"
    if rows_first:
        sql = f"""{values},
    r AS MATERIALIZED (
        SELECT dv.indicator_id, dv.unit_id, dv.period_start, dv.value, per.pidx
        FROM {dv} dv JOIN per ON dv.period_start >= per.pstart AND dv.period_end <= per.pend
        WHERE {where}
    )
    SELECT r.indicator_id, sp.subject_id, r.pidx, SUM(r.value)
    FROM r
    JOIN {uv} v ON v.unit_id = r.unit_id AND v.valid_from <= r.period_start
         AND (v.valid_to IS NULL OR v.valid_to > r.period_start)
    JOIN sp ON v.path >= sp.lo AND v.path < sp.hi
    GROUP BY r.indicator_id, sp.subject_id, r.pidx
    """
    else:
        sql = f"""{values}
    SELECT dv.indicator_id, sp.subject_id, per.pidx, SUM(dv.value)
    FROM {dv} dv
    JOIN per ON dv.period_start >= per.pstart AND dv.period_end <= per.pend
    JOIN {uv} v ON v.unit_id = dv.unit_id AND v.valid_from <= dv.period_start
         AND (v.valid_to IS NULL OR v.valid_to > dv.period_start)
    JOIN sp ON v.path >= sp.lo AND v.path < sp.hi
    WHERE {where}
    GROUP BY dv.indicator_id, sp.subject_id, per.pidx
    """
    params = [*(x for row in subject_rows for x in row), *(x for row in period_rows for x in row), *ids, True, "approved"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(i, s, p): v if isinstance(v, Decimal) else Decimal(str(v)) for i, s, p, v in cursor.fetchall()}


# --- The shapes -------------------------------------------------------------------------


@dataclass
class Query:
    name: str
    indicators: list
    units: list
    periods: list


def queries(shape: generate.Shape) -> list[Query]:
    from tiendo.indicators.models import Indicator
    from tiendo.lib import periods
    from tiendo.orgs.models import OrgUnit, UnitVersion

    indicators = list(Indicator.objects.filter(code__startswith=f"{shape.prefix}-").order_by("order"))
    city = OrgUnit.objects.get(versions__name=shape.city_name)
    top = OrgUnit.objects.get(versions__name=shape.district_name) if shape.district_name else city
    children = [
        v.unit
        for v in UnitVersion.objects.filter(parent=top, unit__kind=shape.unit_kind, valid_to=None)
        .select_related("unit")
        .order_by("unit_id")
    ]
    year = periods.year(generate.REFORM.year)  # the year of the reorganisation: lineage at work
    first_sum = indicators[0]
    label = shape.unit_label.lower()
    if shape.key == "district":
        return [
            Query(f"value(1 indicator, district, {year.code})", [first_sum], [top], [year]),
            Query(
                f"table({len(indicators)} indicators × {len(children)} {label} × 4 quarters)",
                indicators,
                children,
                year.parts(periods.PeriodKind.QUARTER),
            ),
        ]
    return [
        Query(f"value(1 indicator, city, {year.code})", [first_sum], [city], [year]),
        Query(f"table({len(indicators)} indicators × city × {year.code})", indicators, [city], [year]),
        Query(f"table(20 indicators × {len(children)} {label} × {year.code})", indicators[:20], children, [year]),
    ]


def check_same(query: Query) -> str:
    """For the first (sum of flows) indicator at the top, rollup and baseline must agree."""
    from tiendo.indicators import rollups

    if len(query.units) != 1 or len(query.indicators) != 1 or query.indicators[0].unit_aggregation != "sum":
        return ""
    indicator, unit, period = query.indicators[0], query.units[0], query.periods[0]
    rolled = rollups.value(indicator, unit, period).value
    bare = baseline([indicator], [unit], [period]).get((indicator.pk, unit.pk, 0))
    same = rolled is not None and bare is not None and abs(rolled - bare) <= Decimal("0.01")
    return f"{indicator.code} {period.code}: rollup {rolled}, baseline {bare} " + ("(same)" if same else "(DIFFERENT)")


def ensure_data(shape: generate.Shape) -> None:
    if generate.present(shape):
        print(f"{shape.key}: data already present")
        return
    print(f"{shape.key}: generating …", flush=True)
    started = time.perf_counter()
    # A separate process, so that generating does not count in this one's peak memory.
    subprocess.run(  # noqa: S603 - our own script, same interpreter
        [sys.executable, str(HERE / "generate.py"), "--shape", shape.key], check=True, env=os.environ.copy()
    )
    print(f"{shape.key}: generated in {time.perf_counter() - started:.1f} s", flush=True)


def describe_database() -> str:
    from django.db import connection

    from tiendo.indicators.models import DataValue

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute("SELECT 'SQLite ' || sqlite_version()")
            version = cursor.fetchone()[0]
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        size = cursor.fetchone()[0]
    return f"{version}, {DataValue.objects.count():,} values, {size / 2**20:,.0f} MiB"


def mib(n: int) -> str:
    return f"{n / 2**20:,.1f}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def run_rollup(query: Query) -> object:
    from tiendo.indicators import rollups

    if len(query.indicators) == len(query.units) == len(query.periods) == 1:
        return rollups.value(query.indicators[0], query.units[0], query.periods[0])
    return rollups.table(query.indicators, query.units, query.periods)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", choices=["district", "city", "all"], default="all")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per query shape (default 10)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file and print its URL")
    args = parser.parse_args(argv)

    temporary = None
    if not os.environ.get("DATABASE_URL"):
        temporary = tempfile.mkdtemp(prefix="tiendo-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}/bench.sqlite3"
    os.environ.setdefault("DB_CONN_MAX_AGE", "0")
    generate.setup_django()
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", interactive=False, verbosity=0)
        keys = ["district", "city"] if args.shape == "all" else [args.shape]
        for key in keys:
            ensure_data(generate.SHAPES[key])
        # A fresh connection: one opened before the data were written (by migrate) keeps
        # the query planner's statistics of the empty tables (SQLite), and slow plans.
        connections.close_all()
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nDatabase: {describe_database()}")
        print(f"Machine: {os.cpu_count()} CPUs, load average {load}; {args.runs} timed runs per shape\n")
        header = (
            f"{'query shape':<{WIDTH}} {'rollup':>9} {'p95':>8} {'join':>9} {'p95':>8} {'rows 1st':>9} {'p95':>8}"
            f" {'ratio':>6} {'py peak':>8} {'rss peak':>8}"
        )
        print("Times in ms (median and p95); ratio = rollup median / the faster bare query's median; memory in MiB")
        print(header)
        print("-" * len(header))
        checks = []
        for key in keys:
            for query in queries(generate.SHAPES[key]):
                rolled = measure(lambda q=query: run_rollup(q), args.runs)
                join = measure(lambda q=query: baseline(q.indicators, q.units, q.periods), args.runs)
                first = measure(lambda q=query: baseline(q.indicators, q.units, q.periods, rows_first=True), args.runs)
                best = min(join.median, first.median)
                print(
                    f"{key + ': ' + query.name:<{WIDTH}} {ms(rolled.median):>9} {ms(rolled.p95):>8}"
                    f" {ms(join.median):>9} {ms(join.p95):>8} {ms(first.median):>9} {ms(first.p95):>8}"
                    f" {rolled.median / best:>6.1f} {mib(rolled.python_peak):>8} {mib(rolled.rss_peak):>8}",
                    flush=True,
                )
                if check := check_same(query):
                    checks.append(check)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nLoad average at the end: {load}")
        print("Check, sum of flows at the top unit:", *checks, sep="\n  ")
    finally:
        if temporary and args.keep:
            print(f"\nKept: DATABASE_URL={os.environ['DATABASE_URL']}")
        elif temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
