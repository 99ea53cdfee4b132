"""Building a review report from the data: ``compute`` the figures, ``compose`` the document.

``compute`` gathers everything the narrative says into a JSON ``snapshot`` — counts by
status per program, achievements and lagging indicators with the causes the units
wrote in their figures' notes, overdue tasks by unit, the best wards per resolution
indicator, and the indicator table — in a fixed number of queries whatever the number
of indicators, units or figures (the rollups run in SQL, ``tiendo.indicators.rollups``).
Its ``fingerprint`` (SHA-256 of the canonical JSON) tells when the data have changed.

``narrative`` writes the text from a snapshot with translatable sentence templates:
the text never holds a typed figure. Tables and charts stand in it as marker lines
(``[[Bảng 1]]``, ``[[Biểu đồ 1]]``), so a user who edits the text may move or drop
them, and they are always drawn from the snapshot. ``compose`` turns the text and the
snapshot into an ``OfficialDocument``, the one object the preview and the writers use.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiendo.indicators import rollups
from tiendo.indicators.evaluation import Evaluation, choose_target, count
from tiendo.indicators.models import DataValue, Indicator, Target
from tiendo.indicators.status import Assessment, Status, assess
from tiendo.lib import periods
from tiendo.lib.vn import format_date, format_number, format_percent
from tiendo.orgs.models import OrgUnit, UnitKind, UnitVersion, path_upper_bound, valid_on_q
from tiendo.plans.models import Program
from tiendo.reviews import document as doc
from tiendo.reviews.models import Review
from tiendo.tasks.models import Task
from tiendo.tasks.selectors import status_q
from tiendo.tasks.status import TaskStatus

# An official document is written in Vietnamese whatever language the person who
# builds it reads the interface in (an English-speaking user still issues "BÁO CÁO").
DOCUMENT_LANGUAGE = "vi"
P = ParamSpec("P")
R = TypeVar("R")
INDICATOR_TABLE_PREFIX = "Bảng 2."  # how the preview knows the per-indicator table (it links the names)


def in_document_language(func: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(func)
    def in_vietnamese(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(DOCUMENT_LANGUAGE):  # a fresh override each call: nesting and threads stay safe
            return func(*args, **kwargs)

    return in_vietnamese

SNAPSHOT_VERSION = 1
ACHIEVEMENTS_SHOWN = 8
CAUSES_PER_INDICATOR = 3
CAUSE_ROWS_READ = 60  # notes read at most, newest first: enough for the causes shown
BEST_UNITS = 3
CHART_UNITS = 15  # wards drawn in the ranking chart, best first
HIGHLIGHTS = 4  # indicators whose best wards are named
WARD_KINDS = (UnitKind.WARD, UnitKind.COMMUNE)
MARKER = re.compile(r"^\[\[(Bảng|Biểu đồ) (\d+)\]\]$")


# --- Small conversions: the snapshot is JSON, so numbers travel as strings.


def _s(value: Decimal | None, places: int | None = None) -> str | None:
    if value is None:
        return None
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _d(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def fingerprint(snapshot: dict[str, Any]) -> str:
    body = {k: v for k, v in snapshot.items() if k != "fingerprint"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _name(unit: OrgUnit, day: dt.date) -> str:
    """The unit's name on ``day`` (its latest if it did not exist then); versions prefetched."""
    version = unit.version_on(day) or unit.latest_version
    return version.name if version else str(unit)


# --- What the report is about


def indicators_of(review: Review) -> QuerySet[Indicator]:
    if review.resolution_id:
        # As a review report counts them: the programs' indicators.
        found = Indicator.objects.filter(program__resolution_id=review.resolution_id)
    elif review.program_id:
        found = Indicator.objects.filter(program_id=review.program_id)
    else:
        found = Indicator.objects.filter(Q(program__themes=review.theme_id) | Q(plan_items__plan__theme=review.theme_id))
        found = Indicator.objects.filter(pk__in=found.values("pk"))
    return found.order_by("program__order", "program__number", "order", "code")


def programs_of(review: Review) -> list[Program]:
    if review.resolution_id:
        return list(Program.objects.filter(resolution_id=review.resolution_id))
    if review.program_id:
        return list(Program.objects.filter(pk=review.program_id))
    return list(Program.objects.filter(themes=review.theme_id))


def subject_name(review: Review) -> str:
    if review.resolution is not None:
        return review.resolution.title
    if review.program is not None:
        return _("Chương trình số %(number)s") % {"number": review.program.number}
    assert review.theme is not None
    return _("chủ đề “%(title)s” năm %(year)s") % {"title": review.theme.title, "year": review.theme.year}


def unit_version(unit: OrgUnit, day: dt.date) -> UnitVersion:
    """The unit's version on ``day``, else the nearest one (a unit ended since)."""
    versions = list(UnitVersion.objects.filter(unit=unit).order_by("valid_from"))
    for version in versions:
        if version.contains(day):
            return version
    before = [v for v in versions if v.valid_from <= day]
    return before[-1] if before else versions[0]


# --- Judging: like evaluation.evaluate, but the targets of the report's period come first


def _evaluate(
    indicators: Sequence[Indicator], unit: OrgUnit, period: periods.Period, day: dt.date
) -> list[Evaluation]:
    """Each indicator judged on ``day`` against its target for the report's period.

    A target whose period lies within the report's period is preferred (a yearly
    report judges the year's target, a term report the term's); failing one, the
    target ``evaluation.choose_target`` would pick. Two queries.
    """
    by_indicator: dict[int, list[Target]] = {}
    for candidate in Target.objects.filter(indicator__in=indicators, unit=unit):
        by_indicator.setdefault(candidate.indicator_id, []).append(candidate)
    chosen: dict[int, Target | None] = {}
    for indicator in indicators:
        targets = by_indicator.get(indicator.pk, [])
        inside = [t for t in targets if period.contains(t.period)]
        chosen[indicator.pk] = choose_target(inside, day) or choose_target(inside, period.last_day) or choose_target(targets, day)
    target_periods = sorted({t.period for t in chosen.values() if t is not None})
    figures = rollups.table(indicators, [unit], target_periods, as_of=day) if target_periods else {}
    results = []
    for indicator in indicators:
        target = chosen[indicator.pk]
        if target is None:
            results.append(Evaluation(indicator, None, rollups.EMPTY, NOT_JUDGED))
            continue
        figure = figures.get((indicator.pk, unit.pk, target.period), rollups.EMPTY)
        measured = min(day, figure.covers_until) if figure.covers_until else day
        assessment = assess(
            target=target.value,
            actual=figure.value,
            higher_is_better=indicator.direction == Indicator.Direction.HIGHER,
            elapsed=target.period.elapsed_share(measured),
            period_over=day >= target.period.last_day,
            data_reach_end=bool(figure.covers_until and figure.covers_until >= target.period.last_day),
            cumulative=indicator.time_aggregation == Indicator.TimeAggregation.FLOW,
            tolerance=settings.STATUS_AT_RISK_TOLERANCE,
        )
        results.append(Evaluation(indicator, target, figure, assessment))
    return results


NOT_JUDGED = Assessment(Status.NO_DATA, None, None)


def _counts(evaluations: Sequence[Evaluation]) -> dict[str, Any]:
    counted = count(evaluations)
    return {
        "total": counted.total,
        "done": counted.done,
        "in_progress": counted.in_progress,
        "by_status": {str(s): n for s, n in counted.rows()},
    }


# --- compute


def compute(review: Review, user: Any = None) -> dict[str, Any]:
    """The figures the report states, as JSON, with their fingerprint.

    The scope is the review's: its subject, counted over ``review.unit``'s subtree,
    which the services checked against the user when the review was created and the
    selectors check on every read; ``user`` is accepted for symmetry with the other
    builders and not used to narrow the figures (a report states the whole subtree).
    About a dozen queries, whatever the number of indicators, units or figures.
    """
    del user
    period = review.period
    day = review.as_of
    unit = review.unit
    version = unit_version(unit, day)
    subtree = UnitVersion.objects.filter(path__gte=version.path, path__lt=path_upper_bound(version.path)).values("unit_id")
    indicators = list(indicators_of(review).select_related("program"))
    evaluations = _evaluate(indicators, unit, period, day)
    ids = [i.pk for i in indicators]
    # Figures entered as estimates (ước thực hiện) make the report's figure an assumption.
    estimated = set(
        DataValue.objects.filter(
            indicator_id__in=ids, unit_id__in=subtree, is_current=True, is_estimate=True,
            period_start__lt=period.end, period_end__gt=period.start,
        ).values_list("indicator_id", flat=True).distinct()
    ) if ids else set()

    rows = []
    for e in evaluations:
        i = e.indicator
        rows.append({
            "id": i.pk,
            "code": i.code,
            "name": i.name,
            "program_id": i.program_id,
            "in_resolution": i.in_resolution,
            "uom": i.unit_of_measure,
            "decimals": i.decimals,
            "target": _s(e.target.value, i.decimals) if e.target else None,
            "target_period": e.target.period.code if e.target else None,
            "actual": _s(e.figure.value, i.decimals),
            "percent": _s(e.assessment.percent_of_target, 1),
            "status": str(e.status),
            "assumed": bool(i.illustrative or i.pk in estimated),
            "illustrative": i.illustrative,
        })

    programs = []
    for program in programs_of(review):
        mine = [e for e in evaluations if e.indicator.program_id == program.pk]
        programs.append({
            "id": program.pk,
            "number": program.number,
            "title": program.title,
            "all": _counts(mine),
            "flagged": _counts([e for e in mine if e.indicator.in_resolution]),
            "illustrative": sum(e.indicator.illustrative for e in mine),
        })

    lagging_ids = [e.indicator.pk for e in evaluations if e.status in (Status.AT_RISK, Status.NOT_ACHIEVED)]
    causes: dict[str, list[dict[str, str]]] = {}
    if lagging_ids:
        notes = (
            DataValue.objects.filter(indicator_id__in=lagging_ids, unit_id__in=subtree, is_current=True,
                                     period_start__lt=period.end, period_end__gt=period.start)
            .exclude(note="")
            .select_related("unit")
            .prefetch_related("unit__versions")
            .order_by("-period_start", "unit_id")[:CAUSE_ROWS_READ]
        )
        for row in notes:
            found = causes.setdefault(str(row.indicator_id), [])
            if len(found) < CAUSES_PER_INDICATOR:
                note = row.note.strip()
                if all(c["note"] != note for c in found):  # the same words from several periods: once
                    found.append({"unit": _name(row.unit, row.period_start), "note": note, "period": row.period.code})

    snapshot: dict[str, Any] = {
        "version": SNAPSHOT_VERSION,
        "subject": subject_name(review),
        "unit": {"id": unit.pk, "name": version.name},
        "period": period.code,
        "as_of": day.isoformat(),
        "has_data": any(e.figure.value is not None for e in evaluations),
        "total": _counts(evaluations),
        "flagged": _counts([e for e in evaluations if e.indicator.in_resolution]),
        "programs": programs,
        "indicators": rows,
        "lagging": lagging_ids,
        "causes": causes,
        "highlights": _highlights(evaluations, unit, day),
        "overdue_tasks": _overdue_tasks(review, subtree, day),
    }
    snapshot["fingerprint"] = fingerprint(snapshot)
    return snapshot


def _highlights(evaluations: Sequence[Evaluation], unit: OrgUnit, day: dt.date) -> list[dict[str, Any]]:
    """The best wards (or communes) under the unit for the indicators with a target,
    the resolution's own first, those with ward figures only: one query for the wards,
    one rollup for all indicators and wards."""
    judged = [
        e for e in evaluations
        if e.target is not None and e.indicator.unit_aggregation != Indicator.UnitAggregation.NONE
    ]
    judged.sort(key=lambda e: not e.indicator.in_resolution)  # the resolution's own indicators first
    if not judged:
        return []
    wards = list(
        OrgUnit.objects.filter(
            pk__in=UnitVersion.objects.filter(valid_on_q(day), parent=unit).values("unit_id"), kind__in=WARD_KINDS
        ).prefetch_related("versions")
    )
    if len(wards) < 2:
        return []
    assert all(e.target is not None for e in judged)
    target_periods = sorted({e.target.period for e in judged if e.target is not None})
    figures = rollups.table([e.indicator for e in judged], wards, target_periods, as_of=day)
    names = {w.pk: _name(w, day) for w in wards}
    found = []
    for e in judged:
        assert e.target is not None
        values = [
            (figures[(e.indicator.pk, w.pk, e.target.period)].value, names[w.pk])
            for w in wards
            if figures[(e.indicator.pk, w.pk, e.target.period)].value is not None
        ]
        if len(values) < 2:
            continue
        higher = e.indicator.direction == Indicator.Direction.HIGHER
        values.sort(key=lambda pair: (-pair[0] if higher else pair[0], pair[1]))  # type: ignore[operator]
        found.append({
            "indicator_id": e.indicator.pk,
            "name": e.indicator.name,
            "uom": e.indicator.unit_of_measure,
            "decimals": e.indicator.decimals,
            # The best ones only: a city's 500 wards would make a chart nobody can read.
            "units": [{"name": n, "value": _s(v, e.indicator.decimals)} for v, n in values[:CHART_UNITS]],
            "reporting": len(values),
            "assumed": e.indicator.illustrative,
        })
        if len(found) >= HIGHLIGHTS:
            break
    return found


def _overdue_tasks(review: Review, subtree: QuerySet[Any], day: dt.date) -> list[dict[str, Any]]:
    """Unfinished tasks past their deadline on ``day``, counted per lead unit in SQL."""
    tasks = Task.objects.filter(lead_unit_id__in=subtree).filter(status_q(TaskStatus.OVERDUE, day))
    if review.program_id:
        tasks = tasks.filter(program_id=review.program_id)
    counted = list(tasks.values("lead_unit_id").annotate(n=Count("pk")).order_by("-n", "lead_unit_id"))
    if not counted:
        return []
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[c["lead_unit_id"] for c in counted]).prefetch_related("versions")}
    return [
        {"unit": _name(units[c["lead_unit_id"]], day), "count": c["n"]}
        for c in counted
    ]


# --- narrative


def _n(value: int | Decimal | str | None, decimals: int | None = None) -> str:
    if isinstance(value, str):
        value = Decimal(value)
    return format_number(value, decimals)


def _ratio(row: dict[str, Any]) -> str:
    """"45.799/36.875 tỷ đồng (bằng 124,2% chỉ tiêu)": actual over target, as a report
    writes it; a rate is compared with its target instead: "92,7% (chỉ tiêu 90%)"
    ("92,7%/90%" would read as a fraction of percentages)."""
    if row["uom"] == "%":
        return _("%(actual)s%% (chỉ tiêu %(target)s%%)") % {"actual": _n(row["actual"]), "target": _n(row["target"])}
    text = f"{_n(row['actual'])}/{_n(row['target'])}"
    if row["uom"]:
        text += f" {row['uom']}"
    if row["percent"] is not None:
        text += " " + _("(bằng %(percent)s chỉ tiêu)") % {"percent": format_percent(_d(row["percent"]))}
    return text


# Kinds of administrative unit written in lower case inside a sentence ("quận Long
# Biên", "phường Phúc Lợi"), as Nghị định 30's rules on capitals ask; a body such as
# "Quận ủy Long Biên" keeps its capital.
ADMINISTRATIVE_WORDS = ("Thành phố ", "Thị xã ", "Thị trấn ", "Tỉnh ", "Quận ", "Huyện ", "Phường ", "Xã ")


def in_sentence(name: str) -> str:
    """A unit's name as written inside a sentence: "Phường Phúc Lợi" → "phường Phúc Lợi"."""
    for word in ADMINISTRATIVE_WORDS:
        rest = name[len(word):]
        if name.startswith(word) and rest[:1].isupper():
            return word.lower() + rest
    return name


def _others(counts: dict[str, Any]) -> str:
    """", chưa đạt 1, chưa có số liệu 2", only for the statuses present."""
    parts = []
    if counts["by_status"].get(Status.NOT_ACHIEVED, 0):
        parts.append(_("chưa đạt %(n)s chỉ tiêu") % {"n": _n(counts["by_status"][Status.NOT_ACHIEVED])})
    if counts["by_status"].get(Status.NO_DATA, 0):
        parts.append(_("chưa có số liệu %(n)s chỉ tiêu") % {"n": _n(counts["by_status"][Status.NO_DATA])})
    return "".join(", " + p for p in parts)


def no_data_sentence(snapshot: dict[str, Any]) -> str:
    return _(
        "Chưa có số liệu của các chỉ tiêu thuộc %(subject)s tại %(unit)s trong %(period)s "
        "(tính đến ngày %(day)s), nên báo cáo chưa nêu được kết quả thực hiện."
    ) % {
        "subject": snapshot["subject"],
        "unit": in_sentence(snapshot["unit"]["name"]),
        "period": periods.parse(snapshot["period"]).label,
        "day": format_date(dt.date.fromisoformat(snapshot["as_of"])),
    }


@in_document_language
def narrative(review: Review, snapshot: dict[str, Any]) -> str:
    """The report's text, written from the snapshot: one paragraph a line, headings
    "I. …", "1. …", and the tables and charts as marker lines."""
    lines: list[str] = []
    say = lines.append
    day = format_date(dt.date.fromisoformat(snapshot["as_of"]))
    period_label = periods.parse(snapshot["period"]).label
    by_id = {row["id"]: row for row in snapshot["indicators"]}

    say(_("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"))
    if not snapshot["has_data"]:
        say(no_data_sentence(snapshot))
        _tasks_paragraph(snapshot, say, day)
        return "\n".join(lines)

    total = snapshot["total"]
    unit = in_sentence(snapshot["unit"]["name"])
    # A resolution's title already names its term: "nhiệm kỳ 2020-2025" is not said twice.
    where = (
        _("trên địa bàn %(unit)s") % {"unit": unit} if period_label in snapshot["subject"]
        else _("trên địa bàn %(unit)s, trong %(period)s") % {"unit": unit, "period": period_label}
    )
    say(
        _(
            "Tính đến ngày %(day)s, %(where)s, %(subject)s có %(total)s chỉ tiêu được theo dõi; "
            "đã hoàn thành %(done)s/%(total)s chỉ tiêu, đang thực hiện %(in_progress)s chỉ tiêu%(others)s."
        )
        % {
            "day": day, "subject": snapshot["subject"], "total": _n(total["total"]), "where": where,
            "done": _n(total["done"]), "in_progress": _n(total["in_progress"]), "others": _others(total),
        }
    )
    if len(snapshot["programs"]) > 0:
        say(_("1. Kết quả theo chương trình"))
    for program in snapshot["programs"]:
        counts, flagged = program["all"], program["flagged"]
        if not counts["total"]:
            continue
        text = _("Chương trình số %(number)s về “%(title)s” có %(total)s chỉ tiêu") % {
            "number": program["number"], "title": program["title"], "total": _n(counts["total"]),
        }
        if flagged["total"]:
            text += _(", trong đó %(n)s chỉ tiêu thuộc Nghị quyết Đại hội") % {"n": _n(flagged["total"])}
        text += ". " + _(
            "Đến nay, đã hoàn thành %(done)s/%(total)s chỉ tiêu, đang thực hiện %(in_progress)s chỉ tiêu%(others)s."
        ) % {
            "done": _n(counts["done"]), "total": _n(counts["total"]), "in_progress": _n(counts["in_progress"]),
            "others": _others(counts),
        }
        if flagged["total"] and flagged["in_progress"]:
            text += " " + _(
                "Riêng các chỉ tiêu thuộc Nghị quyết Đại hội: đã đạt %(done)s/%(total)s chỉ tiêu, đang thực hiện %(in_progress)s chỉ tiêu."
            ) % {"total": _n(flagged["total"]), "done": _n(flagged["done"]), "in_progress": _n(flagged["in_progress"])}
        elif flagged["total"]:
            text += " " + _("Riêng các chỉ tiêu thuộc Nghị quyết Đại hội: đã đạt %(done)s/%(total)s chỉ tiêu.") % {
                "total": _n(flagged["total"]), "done": _n(flagged["done"])
            }
        if program["illustrative"]:
            text += " " + _("(Số liệu của %(n)s chỉ tiêu là minh họa, giả định.)") % {"n": _n(program["illustrative"])}
        say(text)
    if snapshot["programs"]:
        say("[[Bảng 1]]")
        say("[[Biểu đồ 1]]")

    achieved = [r for r in snapshot["indicators"] if r["status"] in (Status.EXCEEDED, Status.ACHIEVED) and r["actual"]]
    achieved.sort(key=lambda r: (not r["in_resolution"], r["status"] != Status.EXCEEDED))
    if achieved:
        say(_("2. Những chỉ tiêu đạt và vượt"))
        intro = (
            _("Có %(n)s chỉ tiêu đạt và vượt mục tiêu đề ra, tiêu biểu là:") if len(achieved) > ACHIEVEMENTS_SHOWN
            else _("Có %(n)s chỉ tiêu đạt và vượt mục tiêu đề ra, gồm:")
        )
        say(intro % {"n": _n(len(achieved))})
        for row in achieved[:ACHIEVEMENTS_SHOWN]:
            verdict = ", " + _("vượt chỉ tiêu") if row["status"] == Status.EXCEEDED else ""
            assumed = " " + _("(giả định)") if row["assumed"] else ""
            say(f"- {row['name']}: " + _("đạt") + f" {_ratio(row)}{verdict}{assumed}.")
    if snapshot["highlights"]:
        say(_("3. Kết quả nổi bật của các đơn vị"))
        for item in snapshot["highlights"]:
            best = ", ".join(
                f"{in_sentence(u['name'])} ({_n(u['value'])}{'%' if item['uom'] == '%' else ''})"
                for u in item["units"][:BEST_UNITS]
            )
            text = _("Chỉ tiêu “%(name)s”: trong %(n)s đơn vị có số liệu, dẫn đầu là %(best)s.") % {
                "name": item["name"], "best": best, "n": _n(item["reporting"]),
            }
            if item["assumed"]:
                text += " " + _("Số liệu minh họa, giả định.")
            say(text)
        say("[[Biểu đồ 2]]")
    say("[[Bảng 2]]")

    say(_("II. HẠN CHẾ, NGUYÊN NHÂN"))
    lagging = [by_id[i] for i in snapshot["lagging"] if i in by_id]
    if lagging:
        say(_("Còn %(n)s chỉ tiêu có nguy cơ không đạt hoặc chưa đạt:") % {"n": _n(len(lagging))})
        for row in lagging:
            text = f"- {row['name']}: " + _("mới đạt %(ratio)s.") % {"ratio": _ratio(row)}
            found = snapshot["causes"].get(str(row["id"]), [])
            if found:
                # "unit – note": a note often holds a colon of its own.
                text += " " + _("Nguyên nhân (theo báo cáo của đơn vị): %(causes)s.") % {
                    "causes": "; ".join(f"{in_sentence(c['unit'])} – {c['note'].rstrip('.')}" for c in found)
                }
            else:
                text += " " + _("Các đơn vị chưa nêu nguyên nhân.")
            say(text)
    else:
        say(_("Tính đến ngày %(day)s, không có chỉ tiêu nào có nguy cơ không đạt hoặc chưa đạt.") % {"day": day})
    _tasks_paragraph(snapshot, say, day)

    say(_("III. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THỜI GIAN TỚI"))
    if total["in_progress"]:
        say(_("- Tiếp tục chỉ đạo, đôn đốc thực hiện %(n)s chỉ tiêu chưa hoàn thành, phấn đấu hoàn thành trong %(period)s.")
            % {"n": _n(total["in_progress"]), "period": period_label})
    if lagging:
        say(_("- Tập trung tháo gỡ khó khăn, vướng mắc đối với các chỉ tiêu có nguy cơ không đạt hoặc chưa đạt: %(names)s.")
            % {"names": "; ".join(row["name"] for row in lagging)})
    if snapshot["overdue_tasks"]:
        say(_("- Đôn đốc các đơn vị hoàn thành các nhiệm vụ đã quá hạn."))
    if total["by_status"].get(Status.NO_DATA, 0):
        say(_("- Đôn đốc các đơn vị báo cáo đủ số liệu của %(n)s chỉ tiêu chưa có số liệu.")
            % {"n": _n(total["by_status"][Status.NO_DATA])})
    say(_("- Duy trì, phát huy kết quả của %(n)s chỉ tiêu đã hoàn thành.") % {"n": _n(total["done"])})
    return "\n".join(lines)


def _tasks_paragraph(snapshot: dict[str, Any], say: Any, day: str) -> None:
    overdue = snapshot["overdue_tasks"]
    if not overdue:
        return
    total = sum(item["count"] for item in overdue)
    where = ", ".join(f"{in_sentence(item['unit'])} ({_n(item['count'])})" for item in overdue[:5])
    sentence = (
        _("Tính đến ngày %(day)s, còn %(n)s nhiệm vụ quá hạn chưa hoàn thành, nhiều nhất ở: %(where)s.") if len(overdue) > 5
        else _("Tính đến ngày %(day)s, còn %(n)s nhiệm vụ quá hạn chưa hoàn thành, cụ thể: %(where)s.")
    )
    say(sentence % {"n": _n(total), "day": day, "where": where})


# --- tables and charts


def _status_label(status: str) -> str:
    return Status(status).label


def tables(snapshot: dict[str, Any]) -> dict[int, doc.Table]:
    if not snapshot["has_data"]:
        return {}
    found: dict[int, doc.Table] = {}
    integer = doc.ColumnKind.INTEGER
    if snapshot["programs"]:
        rows = []
        for program in snapshot["programs"]:
            c, f = program["all"], program["flagged"]
            rows.append(doc.Row((
                program["number"], c["total"], c["done"], c["in_progress"],
                c["by_status"].get(Status.NOT_ACHIEVED, 0), c["by_status"].get(Status.NO_DATA, 0),
                f["total"], f["done"],
            )))
        t, f = snapshot["total"], snapshot["flagged"]
        rows.append(doc.Row((
            _("Tổng cộng"), t["total"], t["done"], t["in_progress"], t["by_status"].get(Status.NOT_ACHIEVED, 0),
            t["by_status"].get(Status.NO_DATA, 0), f["total"], f["done"],
        ), heading=True))
        found[1] = doc.Table(
            title=_("Bảng 1. Kết quả thực hiện chỉ tiêu theo chương trình"),
            columns=(
                doc.Column(_("Chương trình")), doc.Column(_("Số chỉ tiêu"), integer), doc.Column(_("Hoàn thành"), integer),
                doc.Column(_("Đang thực hiện"), integer), doc.Column(_("Chưa đạt"), integer),
                doc.Column(_("Chưa có số liệu"), integer), doc.Column(_("Chỉ tiêu trong Nghị quyết"), integer),
                doc.Column(_("Trong đó hoàn thành"), integer),
            ),
            rows=tuple(rows),
            note=_("Nguồn: số liệu đã duyệt trên hệ thống, tính đến ngày %(day)s.")
            % {"day": format_date(dt.date.fromisoformat(snapshot["as_of"]))},
        )
    numbers = {p["id"]: p["number"] for p in snapshot["programs"]}
    rows = []
    last_program: int | None = -1
    for row in snapshot["indicators"]:
        if row["program_id"] != last_program and len(numbers) > 1:
            last_program = row["program_id"]
            label = _("Chương trình số %(number)s") % {"number": numbers.get(row["program_id"], "")}
            rows.append(doc.Row((label, None, None, None, None, None), heading=True))
        name = row["name"] + (" (*)" if row["assumed"] else "")
        rows.append(doc.Row((
            name, row["uom"], _d(row["target"]), _d(row["actual"]), _d(row["percent"]), _status_label(row["status"]),
        )))
    assumed = any(r["assumed"] for r in snapshot["indicators"])
    found[2] = doc.Table(
        title=_("Bảng 2. Kết quả thực hiện từng chỉ tiêu"),
        columns=(
            doc.Column(_("Chỉ tiêu")), doc.Column(_("Đơn vị tính")),
            # Indicators of different precision share these columns: each figure as
            # stored (the snapshot rounded it to its indicator's decimals), not 497,00.
            doc.Column(_("Chỉ tiêu đề ra"), doc.ColumnKind.DECIMAL, None),
            doc.Column(_("Thực hiện"), doc.ColumnKind.DECIMAL, None),
            doc.Column(_("Tỷ lệ so với chỉ tiêu"), doc.ColumnKind.PERCENT, 1), doc.Column(_("Đánh giá")),
        ),
        rows=tuple(rows),
        note=_("(*) giả định: chỉ tiêu minh họa hoặc số liệu ước thực hiện.") if assumed else "",
    )
    return found


def charts(snapshot: dict[str, Any]) -> dict[int, doc.Chart]:
    if not snapshot["has_data"]:
        return {}
    found: dict[int, doc.Chart] = {}
    programs = [p for p in snapshot["programs"] if p["all"]["total"]]
    if programs:
        found[1] = doc.Chart(
            kind=doc.ChartKind.BAR,
            title=_("Biểu đồ 1. Số chỉ tiêu hoàn thành và đang thực hiện theo chương trình"),
            labels=tuple(p["number"] for p in programs),
            series=(
                doc.Series(_("Hoàn thành"), tuple(Decimal(p["all"]["done"]) for p in programs)),
                doc.Series(_("Đang thực hiện"), tuple(Decimal(p["all"]["in_progress"]) for p in programs)),
            ),
            unit=_("chỉ tiêu"),
        )
    if snapshot["highlights"]:
        item = max(snapshot["highlights"], key=lambda h: h["reporting"])
        by_id = {r["id"]: r for r in snapshot["indicators"]}
        target = by_id.get(item["indicator_id"], {}).get("target")
        found[2] = doc.Chart(
            kind=doc.ChartKind.BAR,
            title=_("Biểu đồ 2. %(name)s: %(n)s đơn vị dẫn đầu") % {"name": item["name"], "n": len(item["units"])},
            labels=tuple(u["name"] for u in item["units"]),
            series=(doc.Series(item["name"], tuple(_d(u["value"]) for u in item["units"])),),
            unit=item["uom"],
            target=_d(target),
        )
    return found


# --- compose


def _heading_level(line: str) -> int:
    if re.match(r"^[IVX]+\.\s", line):
        return 1
    if re.match(r"^\d+\.\s", line):
        return 2
    if re.match(r"^[a-zđ]\)\s", line):
        return 3
    return 0


def blocks(text: str, snapshot: dict[str, Any]) -> tuple[doc.Block, ...]:
    """The text read back into blocks: a line is a paragraph, a heading or a marker."""
    found_tables, found_charts = tables(snapshot), charts(snapshot)
    result: list[doc.Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        marker = MARKER.match(line)
        if marker:
            number = int(marker.group(2))
            block: doc.Block | None = (found_tables if marker.group(1) == "Bảng" else found_charts).get(number)  # type: ignore[assignment]
            if block is not None:
                result.append(block)
            continue
        level = _heading_level(line)
        result.append(doc.Heading(level, line) if level else doc.Paragraph(line))
    return tuple(result)


@in_document_language
def stale_note(review: Review) -> str:
    since = timezone.localtime(review.computed_at).date() if review.computed_at else review.as_of
    return _("Số liệu đã thay đổi từ khi soạn (ngày %(day)s); bấm 'Viết lại từ số liệu' để cập nhật.") % {
        "day": format_date(since)
    }


def text_for(review: Review, snapshot: dict[str, Any]) -> str:
    """The text the document shows: the user's kept edit, else one written from ``snapshot``."""
    if review.keep_edit and review.edited_text.strip():
        return review.edited_text
    if review.fingerprint == snapshot.get("fingerprint") and review.generated_text:
        return review.generated_text
    return narrative(review, snapshot)


def is_stale(review: Review, snapshot: dict[str, Any]) -> bool:
    """A kept edit written from figures that have changed since."""
    return bool(review.keep_edit and review.edited_text.strip() and review.fingerprint != snapshot.get("fingerprint"))


@in_document_language
def compose(review: Review, snapshot: dict[str, Any]) -> doc.OfficialDocument:
    """The document of ``review`` with the figures of ``snapshot`` (normally a fresh
    ``compute``): the text regenerated from them unless the user keeps an edit, in
    which case a note says the figures have changed since."""
    party = review.layout == Review.Layout.PARTY
    notes: list[str] = []
    if is_stale(review, snapshot):
        notes.append(stale_note(review))
    if any(r["assumed"] for r in snapshot.get("indicators", [])):
        notes.append(_("Giả định: các chỉ tiêu đánh dấu (*) là minh họa hoặc có số liệu ước thực hiện, chưa phải số liệu chính thức."))
    header = doc.Header(
        layout=doc.Layout.PARTY if party else doc.Layout.STATE,
        superior_body=review.superior_body,
        issuing_body=review.issuing_body,
        number=review.number,
        symbol=review.symbol,
        place=review.place,
        date=review.as_of,
        doc_type=_("BÁO CÁO"),
        subject=review.subject,
    )
    signature = doc.Signature(
        on_behalf=_("T/M BAN THƯỜNG VỤ") if party else _("TM. ỦY BAN NHÂN DÂN"),
        title=(review.signer_title or (_("BÍ THƯ") if party else _("CHỦ TỊCH"))).upper(),
        name=review.signer_name,
    )
    return doc.OfficialDocument(
        header=header,
        body=blocks(text_for(review, snapshot), snapshot),
        signature=signature,
        recipients=tuple(review.recipient_lines),
        draft=not review.number,
        notes=tuple(notes),
    )
