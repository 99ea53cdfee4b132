"""Pages of periodic reporting: thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@login_required
def submission_form(request: HttpRequest, round_pk: int, unit_pk: int) -> HttpResponse:
    raise NotImplementedError
