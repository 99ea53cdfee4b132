"""Pages for data sets (bộ chỉ tiêu báo cáo): the list, a set's page, and for
administrators the forms that create and change a set, its list of indicators and
its validation rules.

Thin views over ``datasets``. Anyone with a role reads the list and a set's page;
system and unit administrators get the forms, anyone else a 403 (a data set belongs
to no unit, so there is no scope to hide it behind: 404 only for a set that does not
exist). A form page is a GET and a POST to the same address; a refusal comes back on
the form with HTTP 400 and nothing written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tiendo.audit.services import history_for_many
from tiendo.indicators.models import Indicator
from tiendo.reporting import datasets
from tiendo.reporting.forms_dataset import DataSetForm, ItemFormSet, ItemsForm, RuleForm
from tiendo.reporting.models import DataSet, DataSetIndicator, Round, ValidationRule
from tiendo.web.forms import add_service_error

HISTORY_SHOWN = 200


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _data_set_or_404(pk: int) -> DataSet:
    try:
        return DataSet.objects.get(pk=pk)
    except DataSet.DoesNotExist:
        raise Http404(_("Không tìm thấy bộ chỉ tiêu báo cáo.")) from None


def _edited_data_set(user: Any, pk: int) -> DataSet:
    """A data set to change: 403 without the right, 404 if there is no such set."""
    _require(datasets.may_edit(user))
    return _data_set_or_404(pk)


def _count(model: Any, **filters: Any) -> Coalesce:
    """How many rows of ``model`` each data set has, as a subquery: three counts
    joined in one query would multiply each other."""
    counted = (
        model.objects.filter(data_set=OuterRef("pk"), **filters)
        .order_by()
        .values("data_set")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@login_required
@require_GET
def data_set_list(request: HttpRequest) -> HttpResponse:
    _require(datasets.may_read(request.user))
    rows = DataSet.objects.annotate(
        n_items=_count(DataSetIndicator),
        n_rules=_count(ValidationRule, is_active=True),
        n_rules_off=_count(ValidationRule, is_active=False),
        n_rounds=_count(Round),
    ).order_by("name", "pk")
    return render(
        request, "reporting/dataset_list.html", {"rows": list(rows), "may_edit": datasets.may_edit(request.user)}
    )


@login_required
@require_GET
def data_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(datasets.may_read(request.user))
    data_set = _data_set_or_404(pk)
    items = list(data_set.items.select_related("indicator").order_by("order", "pk"))
    rules = list(data_set.rules.order_by("-is_active", "pk"))
    return render(
        request,
        "reporting/dataset_detail.html",
        {
            "data_set": data_set,
            "items": items,
            "rules": rules,
            "n_rounds": data_set.rounds.count(),
            "n_schedules": data_set.schedules.count(),
            "entries": history_for_many([data_set, *rules])[:HISTORY_SHOWN],
            "may_edit": datasets.may_edit(request.user),
        },
    )


def _form_page(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def data_set_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(datasets.may_edit(request.user))
    data_set = _data_set_or_404(pk) if pk is not None else None
    initial = (
        {"name": data_set.name, "period_kind": data_set.period_kind, "description": data_set.description}
        if data_set
        else {}
    )
    form = DataSetForm(
        request.POST if request.method == "POST" else None, initial=initial, editing=data_set is not None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data_set is None:
                saved = datasets.create_data_set(
                    request.user, data["code"], data["name"], data["period_kind"], data["description"]
                )
            else:
                saved = datasets.update_data_set(
                    request.user, data_set, data["name"], data["period_kind"], data["description"]
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if data_set is None:
                messages.success(
                    request, _("Đã tạo bộ chỉ tiêu “%(name)s”. Hãy chọn các chỉ tiêu của bộ.") % {"name": saved.name}
                )
                return redirect("reporting:data_set_items", saved.pk)
            messages.success(request, _("Đã lưu bộ chỉ tiêu “%(name)s”.") % {"name": saved.name})
            return redirect("reporting:data_set", saved.pk)
    return _form_page(
        request,
        "reporting/dataset_form.html",
        form=form,
        data_set=data_set,
        title=_("Sửa bộ chỉ tiêu báo cáo") if data_set else _("Tạo bộ chỉ tiêu báo cáo"),
        intro=_(
            "Bộ chỉ tiêu báo cáo là các chỉ tiêu các đơn vị báo cáo cùng nhau theo một loại kỳ, "
            "kèm các quy tắc kiểm tra số liệu. Sau khi tạo, chọn các chỉ tiêu của bộ rồi lập lịch báo cáo."
        ),
        submit_label=_("Lưu") if data_set else _("Tạo bộ chỉ tiêu"),
        cancel_url=reverse("reporting:data_set", args=[data_set.pk]) if data_set else reverse("reporting:data_sets"),
    )


def _indicator_choices(data_set: DataSet, current: list[DataSetIndicator]) -> list[tuple[int, str]]:
    """The indicators reported at the set's period kind, and those already in the set
    (so that a row of another kind, from before, shows and the service names it)."""
    rows = (
        Indicator.objects.filter(Q(frequency=data_set.period_kind) | Q(pk__in=[item.indicator_id for item in current]))
        .order_by("code")
        .values_list("pk", "code", "name")
    )
    return [(pk, f"{code} – {name}") for pk, code, name in rows]


def _items_from(formset: Any) -> list[datasets.Item]:
    """The rows kept (an indicator chosen, not marked to remove), in the order typed;
    a row without a number goes after the highest number given."""
    kept = [row for row in formset.cleaned_data if row.get("indicator") and not row.get("remove")]
    indicators = Indicator.objects.in_bulk([row["indicator"] for row in kept])
    last = max((row["order"] for row in kept if row["order"] is not None), default=0)
    items = []
    for row in kept:
        order = row["order"]
        if order is None:
            last += 1
            order = last
        if row["indicator"] in indicators:
            items.append(
                datasets.Item(
                    indicators[row["indicator"]], order, row["required"], row["section"], row["check_outliers"]
                )
            )
    return items


@login_required
@require_http_methods(["GET", "POST"])
def data_set_items(request: HttpRequest, pk: int) -> HttpResponse:
    data_set = _edited_data_set(request.user, pk)
    current = list(data_set.items.select_related("indicator").order_by("order", "pk"))
    choices = _indicator_choices(data_set, current)
    bound = request.POST if request.method == "POST" else None
    initial = [
        {
            "indicator": item.indicator_id,
            "order": item.order,
            "required": item.required,
            "section": item.section,
            "check_outliers": item.check_outliers,
        }
        for item in current
    ]
    formset = ItemFormSet(bound, initial=initial, prefix="ct", form_kwargs={"indicators": choices})
    form = ItemsForm(bound)
    if request.method == "POST" and formset.is_valid():
        try:
            saved = datasets.set_items(request.user, data_set, _items_from(formset))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Đã lưu danh sách chỉ tiêu của “%(name)s”: %(count)s chỉ tiêu.")
                % {"name": data_set.name, "count": len(saved)},
            )
            return redirect("reporting:data_set", data_set.pk)
    return _form_page(
        request,
        "reporting/dataset_items.html",
        form=form,
        formset=formset,
        data_set=data_set,
        offered=len(choices),
    )


def _codes(data_set: DataSet) -> list[DataSetIndicator]:
    return list(data_set.items.select_related("indicator").order_by("order", "pk"))


@login_required
@require_http_methods(["GET", "POST"])
def data_set_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """The set's rules, each with its edit and switch-off buttons, and the form to add one."""
    data_set = _edited_data_set(request.user, pk)
    items = _codes(data_set)
    form = RuleForm(
        request.POST if request.method == "POST" else None,
        codes=[item.indicator.code for item in items],
        with_active=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            rule = datasets.add_rule(
                request.user, data_set, form.cleaned_data["expression"], form.cleaned_data["message"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã thêm quy tắc “%(rule)s”.") % {"rule": rule.expression})
            return redirect("reporting:data_set_rules", data_set.pk)
    return _form_page(
        request,
        "reporting/dataset_rules.html",
        form=form,
        data_set=data_set,
        items=items,
        rules=list(data_set.rules.order_by("-is_active", "pk")),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    data_set = _edited_data_set(request.user, pk)
    rule = get_object_or_404(ValidationRule, pk=rule_pk, data_set=data_set)
    items = _codes(data_set)
    form = RuleForm(
        request.POST if request.method == "POST" else None,
        initial={"expression": rule.expression, "message": rule.message, "is_active": rule.is_active},
        codes=[item.indicator.code for item in items],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            datasets.update_rule(request.user, rule, data["expression"], data["message"], data["is_active"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu quy tắc “%(rule)s”.") % {"rule": data["expression"].strip()})
            return redirect("reporting:data_set_rules", data_set.pk)
    return _form_page(
        request,
        "reporting/dataset_form.html",
        form=form,
        data_set=data_set,
        items=items,
        show_codes=True,
        title=_("Sửa quy tắc kiểm tra"),
        intro=_(
            "Sửa quy tắc có hiệu lực với mọi báo cáo gửi từ nay, kể cả báo cáo của các đợt đang mở. "
            "Bỏ chọn “Đang áp dụng” để ngừng kiểm tra mà vẫn giữ quy tắc và lịch sử của nó."
        ),
        submit_label=_("Lưu quy tắc"),
        cancel_url=reverse("reporting:data_set_rules", args=[data_set.pk]),
    )


@login_required
@require_POST
def rule_toggle(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    """Switch a rule off, or on again (a button on the rules page)."""
    data_set = _edited_data_set(request.user, pk)
    rule = get_object_or_404(ValidationRule, pk=rule_pk, data_set=data_set)
    try:
        rule = datasets.set_rule_active(request.user, rule, not rule.is_active)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        done = _("Đã áp dụng lại quy tắc “%(rule)s”.") if rule.is_active else _("Đã ngừng áp dụng quy tắc “%(rule)s”.")
        messages.success(request, done % {"rule": rule.expression})
    return redirect("reporting:data_set_rules", data_set.pk)
