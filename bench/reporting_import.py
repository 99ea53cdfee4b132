"""Time the Excel and CSV import of a reporting round, beside a bare bulk insert.

    .venv/bin/python bench/reporting_import.py [--units 1000] [--indicators 100] [--runs 3] [--keep]

A round of ``--units`` wards × ``--indicators`` quarterly indicators (100 000 figures
by default) is generated with bulk_create (not timed). One multi-unit template is
written for all wards by ``spreadsheets.write_template`` (openpyxl write-only mode,
prefilled with one figure per cell) and the same figures as a CSV file; then every
figure is deleted, so each timed import stores all of them anew. Timed, each in a
transaction rolled back afterwards:

* ``xlsx: read`` and ``csv: read``: ``spreadsheets.read_file`` alone (no writes);
* ``xlsx: import`` and ``csv: import``: ``spreadsheets.import_file``, the upload
  view's code path (read, then ``services.save_figures`` with its checks, history
  and audit rows), without the upload size limit;
* ``baseline``: one bare ``DataValue.objects.bulk_create`` of the same rows.

The database is DATABASE_URL's (its round is reused when present) or a temporary
SQLite file, removed at the end unless ``--keep``. Each case runs once under
tracemalloc (the peak of Python allocations; not timed), then ``--runs`` times: the
median and 95th percentile (nearest rank), and the process's peak resident memory
while the case ran (VmHWM reset per case on Linux; ru_maxrss elsewhere).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import shutil
import statistics
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
from rollups import _peak_rss, _reset_peak_rss, mib, percentile  # noqa: E402

PREFIX = "BNK"  # codes of the generated indicators, data set and units
PERIOD = "2024-Q3"
FOUNDED = dt.date(2015, 1, 1)
WIDTH = 24


class Rollback(Exception):
    """Raised at the end of a timed run: its writes are undone."""


@dataclass
class Timing:
    median: float
    p95: float
    python_peak: int
    rss_peak: int


def measure(run: Callable[[], object], runs: int) -> Timing:
    """One run under tracemalloc (it slows Python down: not timed), then ``runs`` timed."""
    _reset_peak_rss()
    tracemalloc.start()
    run()
    _current, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return Timing(statistics.median(times), percentile(times, 0.95), python_peak, _peak_rss())


def rolled_back(work: Callable[[], object]) -> Callable[[], float]:
    """``work`` inside a transaction that is rolled back; returns the time of ``work``
    alone (the rollback is not part of any import)."""
    from django.db import transaction

    def run() -> float:
        elapsed = 0.0
        try:
            with transaction.atomic():
                started = time.perf_counter()
                work()
                elapsed = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        return elapsed

    return run


def measure_rolled_back(work: Callable[[], object], runs: int) -> Timing:
    _reset_peak_rss()
    run = rolled_back(work)
    tracemalloc.start()
    run()
    _current, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    times = [run() for _ in range(runs)]
    return Timing(statistics.median(times), percentile(times, 0.95), python_peak, _peak_rss())


# --- The data ---------------------------------------------------------------------------------


def build_round(units: int, indicators: int):  # -> (round, user)
    """A city › district › ``units`` wards, ``indicators`` quarterly indicators in one
    data set, the round of 2024-Q3 in which every ward reports to the district, and a
    reporter of the district (who may report for every ward). Written with
    bulk_create, skipping the services: a fixture, not application code."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from tiendo.accounts.models import Role, RoleAssignment
    from tiendo.indicators.models import Indicator
    from tiendo.lib import periods
    from tiendo.lib.text import fold
    from tiendo.orgs.models import PATH_SEGMENT, OrgUnit, UnitVersion, path_segment
    from tiendo.reporting.models import DataSet, DataSetIndicator, Round, Submission

    period = periods.parse(PERIOD)
    with transaction.atomic():
        paths: dict[int, str] = {}

        def create(specs: list[tuple[str, str, str, OrgUnit | None]]) -> list[OrgUnit]:
            made = OrgUnit.objects.bulk_create([OrgUnit(kind=kind, valid_from=FOUNDED) for kind, _n, _c, _p in specs])
            versions = []
            for unit, (_kind, name, code, parent) in zip(made, specs, strict=True):
                paths[unit.pk] = (paths[parent.pk] if parent else "") + path_segment(unit.pk)
                versions.append(
                    UnitVersion(
                        unit=unit, valid_from=FOUNDED, name=name, code=code, parent=parent, path=paths[unit.pk],
                        depth=len(paths[unit.pk]) // PATH_SEGMENT - 1, search_text=fold(name)[:300],
                    )
                )
            UnitVersion.objects.bulk_create(versions, batch_size=2_000)
            return made

        (city,) = create([("city", "Thành phố đo nhập liệu", f"{PREFIX}-TP", None)])
        (district,) = create([("district", "Quận đo nhập liệu", f"{PREFIX}-Q", city)])
        wards = create([("ward", f"Phường đo {n + 1:04d}", f"{PREFIX}{n + 1:04d}", district) for n in range(units)])
        made = Indicator.objects.bulk_create(
            [
                Indicator(
                    code=f"{PREFIX}-{n + 1:03d}",
                    name=f"Chỉ tiêu đo nhập liệu số {n + 1}",
                    unit_of_measure="%" if n % 5 == 4 else "hộ",
                    value_type="percent" if n % 5 == 4 else "number",
                    frequency="quarter",
                    min_value=Decimal(0),
                    decimals=1 if n % 5 == 4 else 0,
                    order=n,
                )
                for n in range(indicators)
            ]
        )
        data_set = DataSet.objects.create(code=f"{PREFIX}-BO", name="Bộ chỉ tiêu đo nhập liệu", period_kind="quarter")
        DataSetIndicator.objects.bulk_create(
            [DataSetIndicator(data_set=data_set, indicator=i, order=n) for n, i in enumerate(made)]
        )
        round_ = Round(data_set=data_set, reviewing_unit=district, opens_on=period.last_day, due_on=period.end + dt.timedelta(days=10))
        round_.period = period
        round_.save()
        Submission.objects.bulk_create([Submission(round=round_, unit=ward) for ward in wards], batch_size=2_000)
        user = User.objects.create_user(username=f"{PREFIX.lower()}.baocao")
        RoleAssignment.objects.create(user=user, role=Role.REPORTER, unit=district)
    return round_, user


def existing_round():
    from django.contrib.auth.models import User

    from tiendo.reporting.models import Round

    round_ = Round.objects.filter(data_set__code=f"{PREFIX}-BO").select_related("data_set", "reviewing_unit").first()
    return (round_, User.objects.get(username=f"{PREFIX.lower()}.baocao")) if round_ else None


def figure_rows(round_, rnd: random.Random) -> list:
    """One draft figure per ward and indicator, as the import would store them."""
    from tiendo.indicators.models import DataValue

    period = round_.period
    items = list(round_.data_set.items.select_related("indicator").order_by("order"))
    rows = []
    for submission in round_.submissions.order_by("unit_id"):
        for item in items:
            percent = item.indicator.value_type == "percent"
            value = Decimal(rnd.randint(0, 1_000)) / 10 if percent else Decimal(rnd.randint(0, 50_000))
            rows.append(
                DataValue(
                    indicator_id=item.indicator_id, unit_id=submission.unit_id, period_kind=period.kind.value,
                    period_start=period.start, period_end=period.end, value=value, covers_until=period.last_day,
                    state="draft", is_current=True,
                )
            )
    return rows


def build_files(round_, user, rows: list) -> tuple[bytes, bytes, float]:
    """The filled multi-unit template and the CSV of the same figures, and the time
    the template took to write. The figures are stored for the template to prefill,
    then deleted."""
    from django.db import transaction

    from tiendo.indicators.models import DataValue
    from tiendo.reporting import spreadsheets

    submissions = list(round_.submissions.select_related("unit"))
    for submission in submissions:
        submission.round = round_
    try:
        with transaction.atomic():
            DataValue.objects.bulk_create(rows, batch_size=5_000)
            started = time.perf_counter()
            xlsx = spreadsheets.write_template(user, round_, submissions)
            written = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    codes = spreadsheets.unit_labels([s.unit_id for s in submissions], round_.period)
    indicator_codes = dict(round_.data_set.items.values_list("indicator_id", "indicator__code"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(spreadsheets.CSV_COLUMNS)
    for row in rows:
        text = f"{row.value:f}".replace(".", ",")
        writer.writerow([codes[row.unit_id][1], indicator_codes[row.indicator_id], text, ""])
    return xlsx, ("\ufeff" + buffer.getvalue()).encode(), written


# --- Running -------------------------------------------------------------------------------------


def describe_database() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            return cursor.fetchone()[0].split(" on ")[0]
        cursor.execute("SELECT 'SQLite ' || sqlite_version()")
        return cursor.fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000, help="wards in the round (default 1000)")
    parser.add_argument("--indicators", type=int, default=100, help="indicators in the data set (default 100)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case (default 3; each takes seconds)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file and print its URL")
    parser.add_argument("--profile", choices=["xlsx", "csv"], help="print a cProfile of one import instead of timing")
    args = parser.parse_args(argv)

    temporary = None
    if not os.environ.get("DATABASE_URL"):
        temporary = tempfile.mkdtemp(prefix="tiendo-bench-import-")
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}/bench.sqlite3"
    os.environ.setdefault("DB_CONN_MAX_AGE", "0")
    generate.setup_django()
    from django.core.management import call_command
    from django.db import connection

    from tiendo.indicators.models import DataValue
    from tiendo.reporting import spreadsheets

    try:
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        found = existing_round()
        if found and found[0].submissions.count() == args.units and found[0].data_set.items.count() == args.indicators:
            round_, user = found
            print("Round already in the database, reused")
        elif found:
            sys.exit(f"The database holds a {PREFIX} round of another size: use a fresh database or the same --units/--indicators")
        else:
            round_, user = build_round(args.units, args.indicators)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rows = figure_rows(round_, random.Random(2025))
        xlsx, csv_data, template_seconds = build_files(round_, user, rows)
        print(f"Set up in {time.perf_counter() - started:.1f} s (not timed below)")
        print(
            f"Template of {args.units:,} units × {args.indicators} indicators written in {template_seconds:.1f} s: "
            f"xlsx {mib(len(xlsx))} MiB, csv {mib(len(csv_data))} MiB"
        )
        assert not DataValue.objects.filter(unit__submissions__round=round_).exists()

        def import_xlsx() -> object:
            return spreadsheets.import_file(user, round_, xlsx, "bench.xlsx", max_bytes=len(xlsx))

        def import_csv() -> object:
            return spreadsheets.import_file(user, round_, csv_data, "bench.csv", max_bytes=len(csv_data))

        def read_xlsx() -> object:
            return spreadsheets.read_file(user, round_, xlsx, "bench.xlsx", max_bytes=len(xlsx))

        def read_csv() -> object:
            return spreadsheets.read_file(user, round_, csv_data, "bench.csv", max_bytes=len(csv_data))

        def baseline() -> object:
            for row in rows:
                row.pk = None  # the same unsaved rows each run
            return DataValue.objects.bulk_create(rows, batch_size=2_000)

        # Each import must store every figure (and the bare insert as many rows).
        checked = rolled_back(lambda: _check(import_xlsx(), len(rows)))
        checked()
        rolled_back(lambda: _check(import_csv(), len(rows)))()

        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            rolled_back(lambda: profiler.runcall(import_xlsx if args.profile == "xlsx" else import_csv))()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            return 0

        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nDatabase: {describe_database()}; {len(rows):,} figures per import")
        print(f"Machine: {os.cpu_count()} CPUs, load average {load}; {args.runs} timed runs per case\n")
        header = f"{'case':<{WIDTH}} {'median s':>9} {'p95 s':>8} {'× base':>7} {'py peak':>8} {'rss peak':>9}"
        print("Times in seconds; × base = median / the bare bulk_create's median; memory in MiB")
        print(header)
        print("-" * len(header))
        cases: list[tuple[str, Callable[[], Timing]]] = [
            ("baseline: bulk_create", lambda: measure_rolled_back(baseline, args.runs)),
            ("xlsx: read", lambda: measure(read_xlsx, args.runs)),
            ("xlsx: import", lambda: measure_rolled_back(import_xlsx, args.runs)),
            ("csv: read", lambda: measure(read_csv, args.runs)),
            ("csv: import", lambda: measure_rolled_back(import_csv, args.runs)),
        ]
        base = None
        for name, timed in cases:
            timing = timed()
            base = base or timing.median
            print(
                f"{name:<{WIDTH}} {timing.median:>9.2f} {timing.p95:>8.2f} {timing.median / base:>7.1f}"
                f" {mib(timing.python_peak):>8} {mib(timing.rss_peak):>9}",
                flush=True,
            )
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nLoad average at the end: {load}")
    finally:
        if temporary and args.keep:
            print(f"\nKept: DATABASE_URL={os.environ['DATABASE_URL']}")
        elif temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


def _check(result: object, expected: int) -> None:
    changed = getattr(result, "changed", None)
    if changed != expected:
        raise SystemExit(f"the import stored {changed} figures, not {expected}")


if __name__ == "__main__":
    sys.exit(main())
