"""Benchmark data for the rollups, written straight to the database with bulk_create.

This is a fixture for ``bench/rollups.py``, not application code: it skips the
services (no validation, no audit log) to write millions of rows quickly.

Two shapes, each in its own subtree of the same database:

* district: a city with one district of 14 wards, 65 quarterly indicators, 20 quarters
  (2019-Q1 to 2023-Q4) of approved figures for every ward: 18 200 values.
* city: a city of 126 communes, 300 monthly indicators, 60 months (2021-01 to
  2025-12) of approved figures for every commune: 2 268 000 values.

In both, a reorganisation on 1/7/2023 merges pairs of wards (communes) into new
ones and splits others in two by population, keeping the number of reporting units
constant; ``UnitLineage`` is rebuilt after it, so queries of 2023 carry the old
units' first half-year into the new ones. Indicators mix every aggregation: sums of
flows and stocks, averages, weighted averages, ratios of sums, min, max, counts
meeting a threshold and "none".

Run on its own: ``DATABASE_URL=… .venv/bin/python bench/generate.py --shape district``
(the database must be migrated); ``bench/rollups.py`` calls it when data are missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FOUNDED = dt.date(2015, 1, 1)
REFORM = dt.date(2023, 7, 1)
CHUNK = 20_000  # rows per bulk_create call: bounded memory on the big shape


def setup_django() -> None:
    """Django with the project's settings, DEBUG off (no query log growing with each insert)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


@dataclass(frozen=True)
class Shape:
    key: str
    prefix: str  # indicator codes start with it: marks the shape as present
    city_name: str
    district_name: str | None  # None: the units hang straight under the city
    unit_kind: str
    unit_label: str
    units: int
    merged_pairs: int  # pairs merged into one new unit on REFORM
    splits: int  # units split in two on REFORM
    indicators: int
    frequency: str
    first_period: tuple[int, int]  # (year, month)
    periods: int


DISTRICT = Shape(
    key="district",
    prefix="BQ",
    city_name="Thành phố mẫu (quận)",
    district_name="Quận mẫu",
    unit_kind="ward",
    unit_label="Phường",
    units=14,
    merged_pairs=1,
    splits=1,
    indicators=65,
    frequency="quarter",
    first_period=(2019, 1),
    periods=20,
)
CITY = Shape(
    key="city",
    prefix="BTP",
    city_name="Thành phố mẫu (xã)",
    district_name=None,
    unit_kind="commune",
    unit_label="Xã",
    units=126,
    merged_pairs=13,
    splits=13,
    indicators=300,
    frequency="month",
    first_period=(2021, 1),
    periods=60,
)
SHAPES = {s.key: s for s in (DISTRICT, CITY)}


def present(shape: Shape) -> bool:
    from tiendo.indicators.models import Indicator

    return Indicator.objects.filter(code__startswith=f"{shape.prefix}-").exists()


def _periods(shape: Shape) -> list:
    from tiendo.lib import periods

    year, month = shape.first_period
    result = []
    for n in range(shape.periods):
        if shape.frequency == "month":
            total = year * 12 + month - 1 + n
            result.append(periods.month(total // 12, total % 12 + 1))
        else:
            total = year * 4 + (month - 1) // 3 + n
            result.append(periods.quarter(total // 4, total % 4 + 1))
    return result


# --- Units ------------------------------------------------------------------------------


class _Units:
    """Creates units and their single version with bulk_create, paths included."""

    def __init__(self) -> None:
        from tiendo.lib.text import fold
        from tiendo.orgs.models import PATH_SEGMENT, OrgUnit, UnitVersion, path_segment

        self.OrgUnit, self.UnitVersion, self.fold = OrgUnit, UnitVersion, fold
        self.segment, self.width = path_segment, PATH_SEGMENT
        self.paths: dict[int, str] = {}

    def create(self, specs: list[tuple[str, str, object, dt.date, dt.date | None]], event=None) -> list:
        """``specs``: (kind, name, parent unit or None, valid_from, valid_to)."""
        units = self.OrgUnit.objects.bulk_create(
            [self.OrgUnit(kind=kind, valid_from=start, valid_to=end) for kind, _n, _p, start, end in specs]
        )
        versions = []
        for unit, (_k, name, parent, start, end) in zip(units, specs, strict=True):
            path = (self.paths[parent.pk] if parent else "") + self.segment(unit.pk)
            self.paths[unit.pk] = path
            versions.append(
                self.UnitVersion(
                    unit=unit,
                    valid_from=start,
                    valid_to=end,
                    name=name,
                    code="",
                    parent=parent,
                    path=path,
                    depth=len(path) // self.width - 1,
                    search_text=self.fold(name)[:300],
                    event=event,
                )
            )
        self.UnitVersion.objects.bulk_create(versions)
        return units


def build_units(shape: Shape, rnd: random.Random) -> tuple[object, list[tuple[object, dt.date, dt.date | None]]]:
    """The tree of a shape: its top unit, and every reporting unit with its interval."""
    from tiendo.orgs.models import ReorgEvent, ReorgLink
    from tiendo.orgs.services import rebuild_lineage

    maker = _Units()
    (city,) = maker.create([("city", shape.city_name, None, FOUNDED, None)])
    top = city
    if shape.district_name:
        (top,) = maker.create([("district", shape.district_name, city, FOUNDED, None)])
    ending = shape.merged_pairs * 2 + shape.splits
    old = maker.create(
        [
            (shape.unit_kind, f"{shape.unit_label} {n + 1}", top, FOUNDED, REFORM if n < ending else None)
            for n in range(shape.units)
        ]
    )
    event = ReorgEvent.objects.create(kind="reorganise", date=REFORM, legal_basis="Nghị quyết mẫu (benchmark)")
    new = maker.create(
        [
            (shape.unit_kind, f"{shape.unit_label} mới {n + 1}", top, REFORM, None)
            for n in range(shape.merged_pairs + shape.splits * 2)
        ],
        event=event,
    )
    links = []
    for pair in range(shape.merged_pairs):
        for predecessor in old[2 * pair : 2 * pair + 2]:
            links.append(ReorgLink(event=event, predecessor=predecessor, successor=new[pair], share=Decimal(1)))
    for n in range(shape.splits):
        source = old[shape.merged_pairs * 2 + n]
        first, second = new[shape.merged_pairs + 2 * n], new[shape.merged_pairs + 2 * n + 1]
        share = Decimal(rnd.randint(30, 70)) / 100
        links.append(ReorgLink(event=event, predecessor=source, successor=first, share=share))
        links.append(ReorgLink(event=event, predecessor=source, successor=second, share=1 - share))
    ReorgLink.objects.bulk_create(links)
    rebuild_lineage()
    reporting = [(u, FOUNDED, REFORM if n < ending else None) for n, u in enumerate(old)]
    reporting += [(u, REFORM, None) for u in new]
    return top, reporting


# --- Indicators -------------------------------------------------------------------------

# One cycle of twenty indicators: (aggregation, time aggregation, parts as offsets in the cycle).
CYCLE = [
    *[("sum", "flow", {})] * 9,
    ("sum", "stock", {}),
    ("sum", "stock", {}),
    ("average", "flow", {}),
    ("average", "stock", {}),
    ("weighted_average", "flow", {"weight": 10}),
    ("ratio_of_sums", "flow", {"numerator": 0, "denominator": 1}),
    ("ratio_of_sums", "flow", {"numerator": 2, "denominator": 3}),
    ("min", "flow", {}),
    ("max", "stock", {}),
    ("count_meeting", "flow", {}),
    ("none", "flow", {}),
]


def build_indicators(shape: Shape) -> list:
    from tiendo.indicators.models import Indicator

    created: list = []
    for n in range(shape.indicators):
        aggregation, time_aggregation, parts = CYCLE[n % len(CYCLE)]
        base = n - n % len(CYCLE)
        indicator = Indicator(
            code=f"{shape.prefix}-{n + 1:03d}",
            name=f"Chỉ tiêu mẫu {n + 1} ({aggregation}, {time_aggregation})",
            unit_aggregation=aggregation,
            time_aggregation=time_aggregation,
            frequency=shape.frequency,
            value_type="percent" if aggregation in ("ratio_of_sums", "weighted_average", "average") else "number",
            threshold=Decimal(500) if aggregation == "count_meeting" else None,
            order=n,
            **{f"{part}_id": created[base + offset].pk for part, offset in parts.items()},
        )
        indicator.save()
        created.append(indicator)
    return created


# --- Values -----------------------------------------------------------------------------


def build_values(shape: Shape, indicators: list, reporting: list, rnd: random.Random, log=print) -> int:
    from django.db import transaction

    from tiendo.indicators.models import DataValue

    period_list = _periods(shape)
    batch: list = []
    written = 0
    started = time.perf_counter()

    def flush() -> None:
        nonlocal written
        with transaction.atomic():
            DataValue.objects.bulk_create(batch, batch_size=2_000)
        written += len(batch)
        batch.clear()

    for number, period in enumerate(period_list, start=1):
        live = [u for u, start, end in reporting if start < period.end and (end is None or end > period.start)]
        for indicator in indicators:
            percent = indicator.value_type == "percent"
            for unit in live:
                value = Decimal(rnd.randint(0, 10_000)) / 100 if percent else Decimal(rnd.randint(0, 100_000)) / 100
                batch.append(
                    DataValue(
                        indicator_id=indicator.pk,
                        unit_id=unit.pk,
                        period_kind=period.kind.value,
                        period_start=period.start,
                        period_end=period.end,
                        value=value,
                        covers_until=period.last_day,
                        state="approved",
                        is_current=True,
                    )
                )
                if len(batch) >= CHUNK:
                    flush()
        if shape.periods > 20 and number % 12 == 0:
            log(f"  {shape.key}: {written:,} values after {time.perf_counter() - started:.0f} s", flush=True)
    if batch:
        flush()
    return written


def generate(shape: Shape, seed: int = 2025, log=print) -> int:
    """Build one shape; returns the number of values written."""
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a fixture: durability does not matter here
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=OFF")
    rnd = random.Random(seed)
    with transaction.atomic():
        _top, reporting = build_units(shape, rnd)
        indicators = build_indicators(shape)
    count = build_values(shape, indicators, reporting, rnd, log)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":  # fold the write-ahead log into the file: readers then skip it
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", choices=["district", "city", "all"], default="all")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    setup_django()
    for key in ["district", "city"] if args.shape == "all" else [args.shape]:
        shape = SHAPES[key]
        if present(shape):
            print(f"{key}: already in the database, left as is")
            continue
        started = time.perf_counter()
        count = generate(shape, args.seed)
        print(f"{key}: {count:,} values generated in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
