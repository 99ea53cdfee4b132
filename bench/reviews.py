"""Time the review-report builder: the full-term report of a district and of a city.

    .venv/bin/python bench/reviews.py [--scope district|city|all] [--runs N] [--wards N] [--keep]

Scopes:

* district: the Long Biên demo (``load_demo``): the 2020–2025 resolution, 3 programs,
  65 indicators, 14 wards; the mid-term report (term judged on 18/4/2023).
* city: generated with ``bench/generate.py``'s builders: a city of ``--wards`` wards
  (500 by default) straight under it, 65 quarterly indicators with 20 quarters of
  approved figures for every ward (650 000 values for 500 wards), a resolution
  2021–2025 with 3 programs and a term target on the city for each indicator; the
  report judged on 30/6/2023.

For each scope, each step runs once to warm up, then ``--runs`` times: the median and
95th percentile, the peak of Python allocations during one more run (tracemalloc) and
the process's peak resident memory while the step ran (as ``bench/rollups.py``). The
steps: the baseline (the bare rollup SQL of ``bench/rollups.py``, one GROUP BY over the
same indicators, the top unit and the term), ``compute`` (the snapshot: targets,
rollup, causes, ward rollup, tasks), ``compose`` (the OfficialDocument from a
snapshot), and the whole export — compute, compose and write — to DOCX and to PDF.

The database is DATABASE_URL's (migrated, filled when a scope's data are missing), or
a temporary SQLite file removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 - bench/ is not a package; the path is set just above
import rollups as bench_rollups  # noqa: E402

WIDTH = 44
CITY_AS_OF = dt.date(2023, 6, 30)


def city_shape(wards: int) -> generate.Shape:
    return generate.Shape(
        key="review-city",
        prefix=f"BRC{wards}",
        city_name=f"Thành phố mẫu (báo cáo, {wards} phường)",
        district_name=None,
        unit_kind="ward",
        unit_label="Phường",
        units=wards,
        merged_pairs=max(1, wards // 50),
        splits=max(1, wards // 50),
        indicators=65,
        frequency="quarter",
        first_period=(2021, 1),
        periods=20,
    )


def admin() -> object:
    from django.contrib.auth.models import User

    user, _created = User.objects.get_or_create(username="bench-reviews", defaults={"is_superuser": True, "is_staff": True})
    return user


def district_review() -> object:
    from django.core.management import call_command

    from tiendo.demo import plans_data
    from tiendo.demo.seed_figures import ON_MIDTERM
    from tiendo.plans.models import Resolution
    from tiendo.reviews import services
    from tiendo.reviews.models import Review

    if not plans_data.is_loaded():
        print("district: loading the demo …", flush=True)
        call_command("load_demo", verbosity=0)
    resolution = Resolution.objects.get(title=plans_data.RESOLUTION_TITLE)
    return services.create_review(
        admin(), kind=Review.Kind.MIDTERM, resolution=resolution, period_code="NK2020-2025", as_of=ON_MIDTERM
    )


def city_review(shape: generate.Shape) -> object:
    """The generated city with a resolution, 3 programs and a term target per indicator."""
    from django.db import transaction

    from tiendo.indicators.models import Indicator, Target
    from tiendo.lib import periods
    from tiendo.orgs.models import OrgUnit
    from tiendo.plans.models import Program, Resolution
    from tiendo.reviews import services
    from tiendo.reviews.models import Review

    if not generate.present(shape):
        print(f"city: generating {shape.units} wards …", flush=True)
        started = time.perf_counter()
        generate.generate(shape, log=lambda *a, **k: None)
        print(f"city: generated in {time.perf_counter() - started:.1f} s", flush=True)
    city = OrgUnit.objects.get(versions__name=shape.city_name)
    term = periods.term(2021, 2025)
    title = f"Nghị quyết mẫu {shape.prefix}"
    resolution = Resolution.objects.filter(title=title).first()
    if resolution is None:
        with transaction.atomic():
            resolution = Resolution.objects.create(title=title, issuer=city, congress_number=1, term_start=2021, term_end=2025)
            programs = [
                Program.objects.create(resolution=resolution, number=f"0{n}-CTr/MAU", title=f"Chương trình mẫu {n}",
                                       lead_unit=city, order=n)
                for n in (1, 2, 3)
            ]
            indicators = list(Indicator.objects.filter(code__startswith=f"{shape.prefix}-").order_by("order"))
            for n, indicator in enumerate(indicators):
                indicator.program = programs[n % 3]
                indicator.in_resolution = n % 5 == 0
            Indicator.objects.bulk_update(indicators, ["program", "in_resolution"])
            Target.objects.bulk_create(
                Target(indicator=i, unit=city, period_kind=term.kind.value, period_start=term.start, period_end=term.end,
                       value=Decimal(50) if i.value_type == "percent" else Decimal(100_000 * (1 + n % 7)))
                for n, i in enumerate(indicators)
            )
    return services.create_review(
        admin(), kind=Review.Kind.MIDTERM, resolution=resolution, period_code=term.code, as_of=CITY_AS_OF
    )


def steps(review: object, runs: int) -> list[tuple[str, bench_rollups.Timing]]:
    from tiendo.indicators.models import Indicator
    from tiendo.reviews import builder
    from tiendo.reviews.writers.docx import write_docx
    from tiendo.reviews.writers.pdf import write_pdf

    indicators = list(builder.indicators_of(review))  # type: ignore[arg-type]
    unit, period = review.unit, review.period  # type: ignore[attr-defined]
    assert all(isinstance(i, Indicator) for i in indicators)
    snapshot = builder.compute(review)  # type: ignore[arg-type]
    return [
        ("baseline: bare rollup SQL", bench_rollups.measure(lambda: bench_rollups.baseline(indicators, [unit], [period]), runs)),
        ("compute (snapshot)", bench_rollups.measure(lambda: builder.compute(review), runs)),  # type: ignore[arg-type]
        ("compose (document)", bench_rollups.measure(lambda: builder.compose(review, snapshot), runs)),  # type: ignore[arg-type]
        ("DOCX: compute + compose + write", bench_rollups.measure(
            lambda: write_docx(builder.compose(review, builder.compute(review))), runs)),  # type: ignore[arg-type]
        ("PDF: compute + compose + write", bench_rollups.measure(
            lambda: write_pdf(builder.compose(review, builder.compute(review))), runs)),  # type: ignore[arg-type]
    ]


def dashboard_step(runs: int) -> tuple[str, bench_rollups.Timing]:
    """The district leader's dashboard page (/tong-quan/ on the mid-term day), rendered whole
    through Django's test client: what a leader waits for on a phone."""
    from django.contrib.auth.models import User
    from django.test import Client

    from tiendo.demo.seed_figures import ON_MIDTERM
    from tiendo.lib.vn import format_date

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="quan.xem"))
    url = f"/tong-quan/?ngay={format_date(ON_MIDTERM)}"

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    return "dashboard page /tong-quan/", bench_rollups.measure(get, runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scope", choices=["district", "city", "all"], default="all")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per step (default 10)")
    parser.add_argument("--wards", type=int, default=500, help="wards of the generated city (default 500)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite file and print its URL")
    args = parser.parse_args(argv)

    temporary = None
    if not os.environ.get("DATABASE_URL"):
        temporary = tempfile.mkdtemp(prefix="tiendo-bench-reviews-")
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}/bench.sqlite3"
    os.environ.setdefault("DB_CONN_MAX_AGE", "0")
    os.environ.setdefault("TIENDO_DATA_DIR", temporary or tempfile.mkdtemp(prefix="tiendo-bench-files-"))
    generate.setup_django()
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", interactive=False, verbosity=0)
        reviews = []
        if args.scope in ("district", "all"):
            reviews.append(("district (demo, 14 wards)", district_review()))
        if args.scope in ("city", "all"):
            reviews.append((f"city ({args.wards} wards)", city_review(city_shape(args.wards))))
        connections.close_all()  # fresh planner statistics after the writes (SQLite)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\nDatabase: {bench_rollups.describe_database()}")
        print(f"Machine: {os.cpu_count()} CPUs, load average {load}; {args.runs} timed runs per step\n")
        header = f"{'scope':<28} {'step':<{WIDTH}} {'median':>9} {'p95':>9} {'× base':>7} {'py peak':>8} {'rss peak':>8}"
        print("Times in ms; × base = median / the bare rollup query's median; memory in MiB")
        print(header)
        print("-" * len(header))
        for name, review in reviews:
            timings = steps(review, args.runs)
            if name.startswith("district"):
                timings.append(dashboard_step(args.runs))
            base = timings[0][1].median
            for step, t in timings:
                print(
                    f"{name:<28} {step:<{WIDTH}} {bench_rollups.ms(t.median):>9} {bench_rollups.ms(t.p95):>9}"
                    f" {t.median / base:>7.1f} {bench_rollups.mib(t.python_peak):>8} {bench_rollups.mib(t.rss_peak):>8}",
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


if __name__ == "__main__":
    sys.exit(main())
