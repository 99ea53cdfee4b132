from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.middleware import HtmxDetails

from tiendo.accounts.models import Action
from tiendo.accounts.scope import can, get_unit_or_404, restrict_units
from tiendo.audit.services import history_for_many
from tiendo.indicators import selectors as indicator_selectors
from tiendo.lib.dates import date_from_query
from tiendo.lib.vn import format_date, parse_date
from tiendo.orgs import forms, selectors, services
from tiendo.orgs.models import ALLOWED_PARENT_KINDS, OrgUnit, ReorgEvent, UnitKind, UnitVersion, valid_on_q
from tiendo.web.forms import add_service_error


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (for the type checker)."""

    htmx: HtmxDetails


def _day(request: HttpRequest) -> tuple[dt.date, str | None]:
    return date_from_query(request.GET.get("ngay"))


@login_required
@require_GET
def tree(request: HtmxHttpRequest) -> HttpResponse:
    day, date_error = _day(request)
    query = request.GET.get("q", "").strip()[:100]
    context: dict[str, object] = {"day": day, "date_error": date_error, "query": query}
    if query:
        results = selectors.search_on(request.user, day, query)
        context["results"] = results
        context["other_dates"] = selectors.search_all_dates(
            request.user, query, exclude_units={version.unit_id for version, _ in results}
        )
    else:
        context["roots"] = selectors.tree_on(request.user, day)
        context["ended"] = selectors.ended_roots(request.user, day)
    template = "orgs/_partials/tree_body.html" if request.htmx else "orgs/tree.html"
    return render(request, template, context)


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_or_404(request.user, pk)
    day, date_error = _day(request)
    page = selectors.unit_page(request.user, unit, day)
    # The "Chỉ tiêu" card: a fixed number of queries, whatever the number of indicators.
    indicator_rows, more_indicators = indicator_selectors.unit_indicators(request.user, unit, day)
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "page": page,
            "day": day,
            "date_error": date_error,
            "kind_label": UnitKind(unit.kind).label,
            "can_manage": can(request.user, Action.MANAGE, unit),
            "indicator_rows": indicator_rows,
            "more_indicators": more_indicators,
        },
    )


@login_required
@require_GET
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_or_404(request.user, pk)
    entries = history_for_many([unit, *unit.versions.all()])[:500]
    return render(request, "orgs/unit_history.html", {"unit": unit, "entries": entries})


# --- Changing the tree (quản trị đơn vị). Thin views over tiendo.orgs.services: each
# page is a GET form and a POST to the same address; a refusal from the service comes
# back on the form with HTTP 400 and nothing written (the services are atomic).


def _managed_unit(user: Any, pk: int) -> OrgUnit:
    """The unit a management page is about: 404 when the user cannot see it at all (as
    everywhere else), 403 when they can see it but hold no right to manage it."""
    unit = get_unit_or_404(user, pk)
    if not can(user, Action.MANAGE, unit):
        raise PermissionDenied
    return unit


def _unit_url(unit: OrgUnit, day: dt.date) -> str:
    return f"{reverse('orgs:detail', args=[unit.pk])}?{urlencode({'ngay': format_date(day)})}"


def _form_day(request: HttpRequest, field: str = "date") -> dt.date:
    """The date the choices are listed for: the one being submitted if it reads, else
    the page's ``?ngay=`` or today. Only for display; the services check the real date."""
    if request.method == "POST":
        try:
            return parse_date(request.POST.get(field, ""))
        except ValueError:
            pass
    return _day(request)[0]


def _perform(request: HttpRequest, form: BaseForm, change: Callable[[], tuple[str, str]]) -> HttpResponse | None:
    """Run the change; on success a message and a redirect, on refusal the error on the form."""
    try:
        message, url = change()
    except ValidationError as error:
        add_service_error(form, error)
        return None
    messages.success(request, message)
    return redirect(url)


def _form_page(
    request: HttpRequest, unit: OrgUnit, day: dt.date, form: BaseForm, *, title: str, intro: str = "", **extra: Any
) -> HttpResponse:
    version = unit.version_on(day) or unit.latest_version
    context = {
        "unit": unit,
        "unit_name": version.name if version else str(unit),
        "unit_url": _unit_url(unit, day),
        "kind_label": UnitKind(unit.kind).label,
        "form": form,
        "title": title,
        "intro": intro,
        "submit_label": extra.pop("submit_label", _("Lưu")),
        **extra,
    }
    # Reaching here on a POST means the change was refused.
    return render(request, "orgs/manage_form.html", context, status=400 if request.method == "POST" else 200)


def _bound(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def unit_create_child(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _managed_unit(request.user, pk)
    day = _day(request)[0]
    form = forms.CreateUnitForm(_bound(request), parent=parent, initial={"valid_from": day})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def change() -> tuple[str, str]:
            child = services.create_unit(
                request.user,
                kind=data["kind"],
                name=data["name"],
                code=data["code"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                note=data["note"],
                parent=parent,
            )
            return _("Đã thêm đơn vị “%(name)s”.") % {"name": child}, _unit_url(parent, data["valid_from"])

        if response := _perform(request, form, change):
            return response
    intro = "" if form.fields["kind"].choices else _("Loại đơn vị này không có đơn vị trực thuộc.")  # type: ignore[attr-defined]
    return _form_page(
        request, parent, day, form, title=_("Thêm đơn vị trực thuộc"), intro=intro, submit_label=_("Thêm đơn vị")
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request.user, pk)
    day = _day(request)[0]
    current = unit.version_on(day) or unit.latest_version
    initial = {"date": day, "name": current.name if current else "", "code": current.code if current else ""}
    form = forms.RenameForm(_bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def change() -> tuple[str, str]:
            services.rename_unit(
                request.user,
                unit,
                date=data["date"],
                name=data["name"],
                code=data["code"],
                legal_basis=data["legal_basis"],
                note=data["note"],
            )
            message = _("Đã ghi đổi tên, đổi mã từ ngày %(date)s.") % {"date": format_date(data["date"])}
            return message, _unit_url(unit, data["date"])

        if response := _perform(request, form, change):
            return response
    return _form_page(
        request,
        unit,
        day,
        form,
        title=_("Đổi tên / đổi mã"),
        intro=_("Tên và mã cũ được giữ trong lịch sử; số liệu trước ngày hiệu lực vẫn gắn với tên cũ."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_move(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request.user, pk)
    day = _form_day(request)
    current = unit.version_on(day)
    parent_kinds = ALLOWED_PARENT_KINDS.get(unit.kind, set())
    choices = selectors.manageable_on(request.user, day, exclude_subtree_of=current, kinds=parent_kinds)
    form = forms.MoveForm(_bound(request), user=request.user, unit_choices=choices, initial={"date": day})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def change() -> tuple[str, str]:
            services.move_unit(
                request.user,
                unit,
                date=data["date"],
                new_parent=data["new_parent"],
                legal_basis=data["legal_basis"],
                note=data["note"],
            )
            message = _("Đã chuyển đơn vị sang trực thuộc “%(parent)s” từ ngày %(date)s.") % {
                "parent": data["new_parent"],
                "date": format_date(data["date"]),
            }
            return message, _unit_url(unit, data["date"])

        if response := _perform(request, form, change):
            return response
    return _form_page(
        request,
        unit,
        day,
        form,
        title=_("Chuyển đơn vị cấp trên"),
        intro=_("Cả các đơn vị trực thuộc cũng chuyển theo."),
    )


def _children_on(user: Any, unit: OrgUnit, day: dt.date) -> list[OrgUnit]:
    """The units directly under ``unit`` on ``day``, fetched through the scoping layer."""
    child_ids = UnitVersion.objects.filter(valid_on_q(day), parent=unit).values("unit_id")
    return list(restrict_units(OrgUnit.objects.filter(pk__in=child_ids), user, Action.MANAGE).order_by("pk"))


def _successor_choices(request: HttpRequest, unit: OrgUnit, day: dt.date) -> list[tuple[int, str]]:
    return selectors.manageable_on(
        request.user, day, exclude_subtree_of=unit.version_on(day), kinds=forms.peer_kinds(unit.kind)
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request.user, pk)
    day = _form_day(request)
    choices = _successor_choices(request, unit, day)
    form = forms.MergeForm(_bound(request), user=request.user, unit_choices=choices, initial={"date": day})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def change() -> tuple[str, str]:
            into = data["into"]
            children = _children_on(request.user, unit, data["date"]) if data["move_children"] else []
            services.merge_units(
                request.user,
                [unit],
                date=data["date"],
                into=into,
                child_moves=[(child, into) for child in children],
                legal_basis=data["legal_basis"],
                note=data["note"],
            )
            message = _("Đã ghi sáp nhập vào “%(into)s” từ ngày %(date)s.") % {
                "into": into,
                "date": format_date(data["date"]),
            }
            return message, _unit_url(unit, data["date"])

        if response := _perform(request, form, change):
            return response
    return _form_page(
        request,
        unit,
        day,
        form,
        title=_("Sáp nhập vào đơn vị khác"),
        intro=_("Đơn vị này kết thúc vào ngày hiệu lực; lịch sử và số liệu chuyển sang đơn vị nhận."),
        submit_label=_("Ghi sáp nhập"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_split(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _managed_unit(request.user, pk)
    day = _form_day(request)
    choices = _successor_choices(request, unit, day)
    form = forms.SplitForm(_bound(request), initial={"date": day}, user=request.user, unit_choices=choices)
    formset = forms.SuccessorFormSet(
        _bound(request), prefix="nhan", form_kwargs={"user": request.user, "unit_choices": choices}
    )
    # Both are validated, so that every posted unit id goes through the scoping layer.
    form_ok = request.method == "POST" and form.is_valid()
    formset_ok = request.method == "POST" and formset.is_valid()
    if form_ok and formset_ok:
        data = form.cleaned_data
        parts = [
            services.Transfer(
                unit,
                row["successor"],
                population=row["population"],
                area_km2=row["area_km2"],
                share=row["share"],
            )
            for row in formset.cleaned_data
            if row.get("successor") is not None
        ]

        def change() -> tuple[str, str]:
            date = data["date"]
            children = _children_on(request.user, unit, date)
            target = data["children_to"]
            child_moves = [(child, target) for child in children] if target is not None else []
            common = {
                "date": date,
                "child_moves": child_moves,
                "legal_basis": data["legal_basis"],
                "note": data["note"],
            }
            if data["kind"] == ReorgEvent.Kind.SPLIT:
                services.split_unit(request.user, unit, parts=parts, **common)
                message = _("Đã ghi chia tách đơn vị từ ngày %(date)s.")
            else:
                services.reorganise(
                    request.user, kind=ReorgEvent.Kind.DISSOLVE, ending=[unit], transfers=parts, **common
                )
                message = _("Đã ghi giải thể đơn vị từ ngày %(date)s.")
            return message % {"date": format_date(date)}, _unit_url(unit, date)

        if response := _perform(request, form, change):
            return response
    return _form_page(
        request,
        unit,
        day,
        form,
        formset=formset,
        title=_("Giải thể / chia tách"),
        intro=_(
            "Đơn vị này kết thúc vào ngày hiệu lực. Khai các đơn vị nhận và phần chuyển sang mỗi đơn vị: "
            "tỷ lệ nếu biết, nếu không thì dân số hoặc diện tích để tự tính tỷ lệ."
        ),
        submit_label=_("Ghi sự kiện"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_correct(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    unit = _managed_unit(request.user, pk)
    version = get_object_or_404(UnitVersion, pk=version_pk, unit=unit)
    # Taken before the service runs: a refused correction leaves the object half-edited.
    shown_day, intro = version.valid_from, _("Phiên bản: %(version)s.") % {"version": version}
    initial = {
        "name": version.name,
        "code": version.code,
        "valid_from": version.valid_from,
        "valid_to": version.valid_to,
    }
    form = forms.CorrectVersionForm(_bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def change() -> tuple[str, str]:
            services.correct_version(
                request.user,
                version,
                name=data["name"],
                code=data["code"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                reason=data["reason"],
            )
            return _("Đã sửa thông tin đã ghi."), _unit_url(unit, data["valid_from"])

        if response := _perform(request, form, change):
            return response
    return _form_page(
        request,
        unit,
        shown_day,
        form,
        title=_("Sửa thông tin đã ghi"),
        intro=intro,
    )
