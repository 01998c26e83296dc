"""Audit entries for what happens through many pages at once: file downloads and
settings or letter-wording changes. Installed on every staff blueprint (by
``staff.guard.protect``) and on the API, so a page added later is covered too.

A download is any successful response sent as an attachment; a settings
change is a POST under ``/settings/<school>/`` that succeeded (it redirects; a
refused form answers 4xx and a preview 200). Pages that record their own entry
(exports) set ``g.sar_audited``.
"""

from __future__ import annotations

from flask import g, request
from sqlalchemy import select

from sar_service.db import commit_now, session
from sar_service.models import Case, School
from sar_service.oversight import audit


def _actor():
    user = getattr(g, "api_user", None)
    if user is not None:
        return user
    from flask_login import current_user

    return current_user.user if current_user.is_authenticated else None


def _school_id(s, args: dict, user) -> int | None:
    """The school the URL names, or (API paths name only the case) the user's school
    that has the case."""
    slug = args.get("school") or args.get("slug") or request.args.get("school")
    if slug:
        return s.scalar(select(School.id).where(School.slug == slug))
    if args.get("reference"):
        return s.scalar(
            select(Case.school_id)
            .where(Case.reference == args["reference"], Case.school_id.in_(user.school_ids))
            .limit(1)
        )
    return None


def _what(response) -> tuple[str, str, str] | None:
    view_args = request.view_args or {}
    if g.get("sar_audited") or response.status_code >= 400:
        return None
    disposition = response.headers.get("Content-Disposition", "")
    if request.method == "GET" and response.status_code == 200 and "attachment" in disposition:
        which = ", ".join(f"{k} {v}" for k, v in view_args.items() if k not in {"school", "slug"})
        return "download", f"download_{request.endpoint}", f"Downloaded a file ({which})"
    if request.method == "POST" and response.status_code == 302 and "/settings/" in request.path:
        part = request.path.split("/settings/", 1)[1].split("/", 1)
        section = part[1] if len(part) > 1 else "details"
        kind = "template" if section.startswith("letters") else "settings"
        return kind, f"changed_{section.replace('/', '_')}"[:60], f"Changed settings: {section}"
    return None


def record_response(response):
    """Record a download or a settings change (after the page's own work committed)."""
    found = _what(response)
    user = _actor() if found else None
    if found is None or user is None:
        return response
    kind, action, summary = found
    # The request's own session: on SQLite a second connection would wait for the lock this
    # one may hold (an API token's last-used time, flushed but not yet committed).
    s = session()
    entry = audit.record(
        s, kind, action, actor_label=f"{user.name} ({user.email})",
        school_id=_school_id(s, request.view_args or {}, user),
        case_reference=(request.view_args or {}).get("reference", ""),
        summary=summary,
    )  # fmt: skip
    entry.actor_id = user.id
    commit_now(s, "the response is already made: record who downloaded or changed what now")
    return response


def install(blueprint) -> None:
    blueprint.after_request(record_response)
