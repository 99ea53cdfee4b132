"""The page of an indicator and the page of one figure: thin views over
``tiendo.indicators.selectors``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tiendo.accounts.scope import get_unit_or_404
from tiendo.indicators import selectors
from tiendo.lib import periods
from tiendo.lib.dates import date_from_query
from tiendo.lib.periods import Period, PeriodKind
from tiendo.orgs.models import OrgUnit

# The switch that counts figures sent but not yet approved (approved only by default).
INCLUDE_SUBMITTED = "gom_chua_duyet"
KIND_ORDER = {kind: n for n, kind in enumerate([PeriodKind.TERM, PeriodKind.SCHOOL_YEAR, PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH])}


def _period(raw: str | None, default: Period) -> tuple[Period, str | None]:
    """The period in ``?ky=``, or the default with a message when it does not read."""
    text = (raw or "").strip()
    if not text:
        return default, None
    try:
        return periods.parse(text), None
    except ValueError:  # the lib's own message may name a date Python refused: say it our way
        message = _(
            "Không đọc được kỳ “%(code)s”. Viết kỳ theo dạng 2022 (năm), 2022-Q2 (quý), 2022-05 (tháng), "
            "NH2021-2022 (năm học) hoặc NK2020-2025 (nhiệm kỳ). Đang hiển thị %(period)s."
        ) % {"code": text[:40], "period": default.label}
        return default, message


@login_required
@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    indicator = selectors.get_indicator_or_404(user, pk)
    day, date_error = date_from_query(request.GET.get("ngay"))
    choices = selectors.unit_choices(user, indicator, day)
    raw_unit = request.GET.get("don_vi", "").strip()
    unit: OrgUnit | None
    if raw_unit:
        unit = get_unit_or_404(user, raw_unit)
        if not any(c.unit.pk == unit.pk for c in choices):
            choices.append(selectors.UnitChoice(unit, selectors.name_on(unit, day)))
    else:
        main = selectors.main_unit(choices)
        unit = main.unit if main else None
    valued, targeted = selectors.period_choices(user, indicator)
    period, period_error = _period(request.GET.get("ky"), selectors.default_period(valued, targeted, day))
    page = selectors.indicator_page(
        user,
        indicator,
        unit=unit,
        period=period,
        day=day,
        trend_periods=selectors.trend_periods(valued, indicator),
        include_submitted=request.GET.get(INCLUDE_SUBMITTED) == "1",
    )
    # Longest kinds first (the term, then years…), the latest first within a kind.
    listed = sorted(set(valued) | set(targeted) | {period}, key=lambda p: (KIND_ORDER[p.kind], -p.start.toordinal()))
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "page": page,
            "indicator": indicator,
            "day": day,
            "date_error": date_error,
            "period_error": period_error,
            "unit_choices": choices,
            "period_choices": [(p, p in valued) for p in listed],
            "rules": selectors.rules_in_words(indicator),
            "include_submitted": request.GET.get(INCLUDE_SUBMITTED) == "1",
        },
    )


@login_required
@require_GET
def value_detail(request: HttpRequest, pk: int) -> HttpResponse:
    value = selectors.get_value_or_404(request.user, pk)
    period = selectors.period_of(value)
    return render(
        request,
        "indicators/value_detail.html",
        {
            "value": value,
            "indicator": value.indicator,
            "period": period,
            "unit_name": selectors.name_on(value.unit, period.start),
            "history": selectors.value_history(value),
        },
    )
