from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tiendo.accounts.scope import scope_paths
from tiendo.audit.models import AuditEntry


@login_required
def recent(request: HttpRequest) -> HttpResponse:
    """The latest changes across the system: for system administrators only, since an
    entry may concern any unit (each object's own history page is scoped)."""
    if scope_paths(request.user) is not None:
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("actor", "content_type")[:200]
    return render(request, "audit/recent.html", {"entries": entries})
