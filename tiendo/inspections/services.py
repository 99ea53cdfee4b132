"""Every change to inspection plans, inspections, their subjects, teams, conclusions and
recommendations. Each function checks scope and its rules inside one transaction, writes
nothing when it refuses, and writes the audit rows.

Who may write: the conducting unit's managers and reviewers, the same people who may
assign that unit's tasks (``tasks.services.may_assign``), since a recommendation becomes
one of its tasks. ``None`` as the actor is the system (the demo loader).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiendo.accounts.models import Action
from tiendo.accounts.scope import can
from tiendo.audit import services as audit
from tiendo.audit.models import AuditEntry
from tiendo.inspections.models import Inspection, InspectionPlan, InspectionSubject, Recommendation, TeamMember
from tiendo.lib.dates import today
from tiendo.lib.vn import format_date
from tiendo.orgs.models import OrgUnit, valid_on_q
from tiendo.tasks import services as tasks
from tiendo.tasks.services import may_assign

Actor = Any


@dataclass(frozen=True)
class SubjectInput:
    """One subject to record: ``unit`` for an organisation, or a person's name and/or
    position (and the unit they work in)."""

    unit: OrgUnit | None = None
    person_name: str = ""
    person_position: str = ""
    person_unit: OrgUnit | None = None


@dataclass(frozen=True)
class MemberInput:
    name: str
    position: str = ""
    role: str = TeamMember.Role.MEMBER
    user: Any = None


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _may_see(actor: Actor, unit: OrgUnit) -> bool:
    return actor is None or can(actor, Action.VIEW, unit)


def _refuse_writer(actor: Actor, unit: OrgUnit) -> None:
    if not may_assign(actor, unit):
        raise ValidationError(_("Bạn không có quyền ghi kiểm tra, giám sát của “%(unit)s”.") % {"unit": unit})


def _exists_on(unit: OrgUnit, day: dt.date) -> bool:
    return unit.versions.filter(valid_on_q(day)).exists()


@transaction.atomic
def create_plan(
    actor: Actor, *, year: int, conducting_unit: OrgUnit, title: str, issued_on: dt.date, number: str = ""
) -> InspectionPlan:
    _refuse_writer(actor, conducting_unit)
    errors: dict[str, list[str]] = {}
    number = number.strip()
    if not title.strip():
        errors["title"] = [_("Cần có trích yếu của kế hoạch.")]
    if not 1945 <= year <= 2100:
        errors["year"] = [_("Năm của kế hoạch không hợp lệ.")]
    elif issued_on.year > year:
        errors["issued_on"] = [_("Kế hoạch năm %(year)s không thể ban hành sau năm đó.") % {"year": year}]
    if not _exists_on(conducting_unit, issued_on):
        errors["conducting_unit"] = [
            _("“%(unit)s” không tồn tại ngày %(day)s.") % {"unit": conducting_unit, "day": format_date(issued_on)}
        ]
    if number and InspectionPlan.objects.filter(conducting_unit=conducting_unit, number=number).exists():
        errors["number"] = [_("Đơn vị này đã có kế hoạch mang số, ký hiệu đó.")]
    if errors:
        raise ValidationError(errors)
    plan = InspectionPlan.objects.create(
        year=year, conducting_unit=conducting_unit, number=number, title=title.strip(), issued_on=issued_on,
        created_by=_user(actor),
    )
    audit.record(actor, AuditEntry.Action.CREATE, plan)
    return plan


def _subject_problems(actor: Actor, inspection_pk: int | None, subject: SubjectInput) -> list[str]:
    problems: list[str] = []
    person = bool(subject.person_name.strip() or subject.person_position.strip())
    if (subject.unit is None) == (not person) or (subject.unit is not None and subject.person_unit is not None):
        problems.append(
            _("Đối tượng là một tổ chức hoặc một cá nhân: chọn tổ chức, hoặc ghi họ tên, chức vụ của cá nhân, không ghi cả hai.")
        )
    for unit in (subject.unit, subject.person_unit):
        # A form already 404s such a unit; this guards every other caller.
        if unit is not None and not _may_see(actor, unit):
            problems.append(_("“%(unit)s” nằm ngoài phạm vi của bạn.") % {"unit": unit})
    if (
        subject.unit is not None
        and inspection_pk is not None
        and InspectionSubject.objects.filter(inspection_id=inspection_pk, unit=subject.unit).exists()
    ):
        problems.append(_("Tổ chức này đã là đối tượng của cuộc kiểm tra, giám sát."))
    return problems


def _member_problems(member: MemberInput) -> list[str]:
    problems: list[str] = []
    if not member.name.strip():
        problems.append(_("Cần ghi họ tên thành viên đoàn."))
    if member.role not in TeamMember.Role.values:
        problems.append(_("Nhiệm vụ trong đoàn không hợp lệ."))
    return problems


def _save_subject(actor: Actor, inspection: Inspection, subject: SubjectInput) -> InspectionSubject:
    row = InspectionSubject.objects.create(
        inspection=inspection, unit=subject.unit, person_name=subject.person_name.strip(),
        person_position=subject.person_position.strip(), person_unit=subject.person_unit,
    )
    audit.record(actor, AuditEntry.Action.CREATE, row)
    return row


def _save_member(actor: Actor, inspection: Inspection, member: MemberInput) -> TeamMember:
    row = TeamMember.objects.create(
        inspection=inspection, name=member.name.strip(), position=member.position.strip(), role=member.role, user=member.user
    )
    audit.record(actor, AuditEntry.Action.CREATE, row)
    return row


@transaction.atomic
def create_inspection(
    actor: Actor,
    *,
    kind: str,
    conducting_unit: OrgUnit,
    title: str,
    starts_on: dt.date,
    subjects: Sequence[SubjectInput],
    team: Sequence[MemberInput] = (),
    ends_on: dt.date | None = None,
    plan: InspectionPlan | None = None,
    team_name: str = "",
    decision_number: str = "",
    scope: str = "",
) -> Inspection:
    """Record an inspection or supervision with its subjects (at least one) and its team.
    Refused with every reason at once."""
    _refuse_writer(actor, conducting_unit)
    errors: dict[str, list[str]] = {}
    if kind not in Inspection.Kind.values:
        errors["kind"] = [_("Hình thức kiểm tra, giám sát không hợp lệ.")]
    if not title.strip():
        errors["title"] = [_("Cần ghi tên cuộc kiểm tra, giám sát.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("Ngày kết thúc không được trước ngày bắt đầu.")]
    if not _exists_on(conducting_unit, starts_on):
        errors["conducting_unit"] = [
            _("“%(unit)s” không tồn tại ngày %(day)s.") % {"unit": conducting_unit, "day": format_date(starts_on)}
        ]
    if plan is not None:
        if plan.conducting_unit_id != conducting_unit.pk:
            errors["plan"] = [_("Kế hoạch này là của đơn vị khác.")]
        elif plan.year != starts_on.year:
            errors["plan"] = [_("Cuộc kiểm tra bắt đầu năm %(year)s, không thuộc kế hoạch năm %(plan)s.") % {
                "year": starts_on.year, "plan": plan.year}]
    if not subjects:
        errors["subjects"] = [_("Cần có ít nhất một đối tượng kiểm tra, giám sát (tổ chức hoặc cá nhân).")]
    units = [s.unit.pk for s in subjects if s.unit is not None]
    subject_problems = [p for s in subjects for p in _subject_problems(actor, None, s)]
    if len(units) != len(set(units)):
        subject_problems.append(_("Một tổ chức được ghi hai lần trong danh sách đối tượng."))
    if subject_problems:
        errors.setdefault("subjects", []).extend(dict.fromkeys(subject_problems))
    team_problems = [p for m in team for p in _member_problems(m)]
    if sum(1 for m in team if m.role == TeamMember.Role.LEADER) > 1:
        team_problems.append(_("Mỗi đoàn chỉ có một trưởng đoàn."))
    if team_problems:
        errors["team"] = list(dict.fromkeys(team_problems))
    if errors:
        raise ValidationError(errors)
    inspection = Inspection.objects.create(
        plan=plan, kind=kind, conducting_unit=conducting_unit, team_name=team_name.strip(),
        decision_number=decision_number.strip(), title=title.strip(), scope=scope.strip(), starts_on=starts_on,
        ends_on=ends_on, created_by=_user(actor),
    )
    audit.record(actor, AuditEntry.Action.CREATE, inspection)
    for subject in subjects:
        _save_subject(actor, inspection, subject)
    for member in team:
        _save_member(actor, inspection, member)
    return inspection


def _locked(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().select_related("conducting_unit").get(pk=inspection.pk)


@transaction.atomic
def add_subject(actor: Actor, inspection: Inspection, subject: SubjectInput) -> InspectionSubject:
    inspection = _locked(inspection)
    _refuse_writer(actor, inspection.conducting_unit)
    problems = _subject_problems(actor, inspection.pk, subject)
    if problems:
        raise ValidationError(problems)
    return _save_subject(actor, inspection, subject)


@transaction.atomic
def add_team_member(actor: Actor, inspection: Inspection, member: MemberInput) -> TeamMember:
    inspection = _locked(inspection)
    _refuse_writer(actor, inspection.conducting_unit)
    errors: dict[str, list[str]] = {}
    problems = _member_problems(member)
    if problems:
        errors["name" if member.name.strip() == "" else "role"] = problems
    if member.role == TeamMember.Role.LEADER and inspection.team.filter(role=TeamMember.Role.LEADER).exists():
        errors.setdefault("role", []).append(_("Mỗi đoàn chỉ có một trưởng đoàn."))
    if errors:
        raise ValidationError(errors)
    return _save_member(actor, inspection, member)


@transaction.atomic
def record_conclusion(
    actor: Actor, inspection: Inspection, *, conclusions: str, concluded_on: dt.date, strengths: str = "",
    shortcomings: str = "",
) -> Inspection:
    """Write the findings and the conclusion (or correct them). The day may not move
    after a recommendation's deadline, nor before the start, nor into the future."""
    inspection = _locked(inspection)
    _refuse_writer(actor, inspection.conducting_unit)
    errors: dict[str, list[str]] = {}
    if not conclusions.strip():
        errors["conclusions"] = [_("Cần ghi nội dung kết luận.")]
    if concluded_on < inspection.starts_on:
        errors["concluded_on"] = [
            _("Ngày kết luận %(day)s trước ngày bắt đầu %(start)s.")
            % {"day": format_date(concluded_on), "start": format_date(inspection.starts_on)}
        ]
    elif concluded_on > today():
        errors["concluded_on"] = [_("Ngày kết luận không được sau hôm nay.")]
    elif inspection.recommendations.filter(deadline__lt=concluded_on).exists():
        errors["concluded_on"] = [_("Đã có kiến nghị có thời hạn trước ngày kết luận này.")]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(inspection)
    inspection.strengths = strengths.strip()
    inspection.shortcomings = shortcomings.strip()
    inspection.conclusions = conclusions.strip()
    inspection.concluded_on = concluded_on
    inspection.save(update_fields=["strengths", "shortcomings", "conclusions", "concluded_on"])
    audit.record(actor, AuditEntry.Action.UPDATE, inspection, before=before)
    return inspection


def addressable_units(inspection: Inspection) -> list[OrgUnit]:
    """The units a recommendation may go to: the organisations inspected, and the units
    of the people inspected."""
    subjects = inspection.subjects.select_related("unit", "person_unit").prefetch_related("unit__versions", "person_unit__versions")
    found: dict[int, OrgUnit] = {}
    for subject in subjects:
        for unit in (subject.unit, subject.person_unit):
            if unit is not None:
                found.setdefault(unit.pk, unit)
    return list(found.values())


@transaction.atomic
def add_recommendation(
    actor: Actor,
    inspection: Inspection,
    *,
    text: str,
    unit: OrgUnit | None,
    deadline: dt.date | None,
    expected_output: str,
    assigned_on: dt.date | None = None,
) -> Recommendation:
    """Record a recommendation of the conclusion and, in the same transaction, its
    follow-up task: assigned by the conducting unit to the addressed unit on the day of
    the conclusion (or ``assigned_on``, not earlier), due on the recommendation's
    deadline. The task service's refusals (no expected output, a unit that did not
    exist that day…) come back unchanged and nothing is written."""
    inspection = _locked(inspection)
    _refuse_writer(actor, inspection.conducting_unit)
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Cần ghi nội dung kiến nghị.")]
    if inspection.concluded_on is None:
        raise ValidationError(_("Cuộc kiểm tra, giám sát chưa có kết luận: ghi kết luận trước khi giao kiến nghị."))
    day = assigned_on or inspection.concluded_on
    if day < inspection.concluded_on:
        errors["assigned_on"] = [
            _("Ngày giao %(day)s trước ngày kết luận %(concluded)s.")
            % {"day": format_date(day), "concluded": format_date(inspection.concluded_on)}
        ]
    if unit is None:
        errors["unit"] = [_("Cần chọn đơn vị thực hiện kiến nghị.")]
    elif unit.pk not in {u.pk for u in addressable_units(inspection)}:
        errors["unit"] = [_("Đơn vị thực hiện kiến nghị phải là đối tượng của cuộc kiểm tra, giám sát.")]
    if deadline is None:
        errors["deadline"] = [_("Cần có thời hạn.")]
    elif deadline < inspection.concluded_on:
        errors["deadline"] = [
            _("Thời hạn %(deadline)s trước ngày kết luận %(concluded)s.")
            % {"deadline": format_date(deadline), "concluded": format_date(inspection.concluded_on)}
        ]
    if errors:
        raise ValidationError(errors)
    assert unit is not None and deadline is not None
    what = inspection.get_kind_display().lower()
    task = tasks.create_task(
        actor,
        title=text.strip(),
        expected_output=expected_output,
        assigned_by=inspection.conducting_unit,
        lead_unit=unit,
        deadline=deadline,
        description=_("Kiến nghị sau %(what)s “%(title)s”, kết luận ngày %(day)s.")
        % {"what": what, "title": inspection.title, "day": format_date(inspection.concluded_on)},
        assigned_on=day,
    )
    recommendation = Recommendation.objects.create(
        inspection=inspection, text=text.strip(), unit=unit, deadline=deadline, task=task, created_by=_user(actor)
    )
    audit.record(actor, AuditEntry.Action.CREATE, recommendation)
    return recommendation
