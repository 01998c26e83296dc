"""Every /staff route × role × own/other school. Another school's case is 404, never 403.

The staff, letters and records blueprints all serve pages under /staff; every one
of their (method, rule) pairs has rows here, and ``test_the_matrix_covers_every_route``
fails as soon as a route is added without one.

Posts are made with input that is harmless or invalid, so a role that may use a
form gets its validation answer (usually 422) and the matrix changes nothing: the
test compares every table before and after. The one exception is a DPO asking for
new recovery codes, which only replaces that DPO's own codes. Signing out is last,
and the runner signs back in afterwards.

Reading an expectation row: ``_row(dpo, caseworker, owner, viewer, signed_out)``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from sar_service.db import Base
from sar_service.letters.service import generate_letter
from sar_service.models.inventory import DataSource
from sar_service.models.mailbox import MailImport
from sar_service.models.notification import Notification
from sar_service.models.portal import EvidenceUpload
from sar_service.models.question import ParentQuestion
from sar_service.models.review import Bundle
from sar_service.records import documents, gathering, inventory
from sar_service.uploads import save_upload
from tests.records.helpers import pdf_bytes
from tests.staff.conftest import sign_in_as

ROLES = ("dpo", "caseworker", "owner", "viewer", "signed_out")
OK, FOUND, INVALID, FORBIDDEN, MISSING, CONFLICT, BAD = 200, 302, 400, 403, 404, 409, 422
SIGN_IN = "302 to /staff/sign-in"  # what the guard answers anyone signed out


def _row(dpo, caseworker, owner, viewer, signed_out=SIGN_IN):
    return dict(zip(ROLES, (dpo, caseworker, owner, viewer, signed_out), strict=True))


def _all(status):
    """The same answer for every role, signed in or not (the public pages)."""
    return _row(status, status, status, status, status)


# The usual shapes of a row.
EVERYONE = _row(OK, OK, OK, OK)  # any signed-in member of staff
READERS = _row(OK, OK, FORBIDDEN, OK)  # case work pages a viewer may read
DOCUMENTS = _row(OK, OK, FORBIDDEN, FORBIDDEN)  # letters and records: the roles seeing requesters
ACTORS = _row(BAD, BAD, FORBIDDEN, FORBIDDEN)  # case work forms (dpo, caseworker)
ACTORS_REDIRECT = _row(FOUND, FOUND, FORBIDDEN, FORBIDDEN)  # ... nothing to do: back to the page
DPO_PAGE = _row(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)  # settings pages
OVERSEERS = _row(OK, FORBIDDEN, OK, OK)  # oversight figures: no personal data
DPO_FORM = _row(BAD, FORBIDDEN, FORBIDDEN, FORBIDDEN)  # settings forms
DPO_REDIRECT = _row(FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN)  # ... nothing to do, or onward
NOBODY_HERE = _row(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)  # a role none of these has (dsl)
GONE = _row(MISSING, MISSING, MISSING, MISSING)  # another school's anything
NOT_YET = _row(SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN)  # sign-in steps without a password first

CASE = "/staff/cases/{slug}/{case}"
SETTINGS = "/staff/settings/{slug}"
QUESTION = "/staff/questions/{slug}/{question}"
TASK, OTHERS_TASK = "/staff/tasks/{task}", "/staff/tasks/{others_task}"
ASSIGN = {"action": "assign", "assignee": "", "version": "1", "seen_event": "0"}
TOO_LONG = {"do": "save", "text": "x" * 50_001}  # letter wording over the limit

#: Rows scoped to one school, written with {placeholders} for a ``Site``'s ids. The
#: expectation is for the signed-in staff's own school; with another school's ids
#: every signed-in role gets GONE.
SCOPED = [
    # the case page and its forms (staff blueprint)
    ("get", CASE, None, EVERYONE),
    ("post", CASE + "/actions", ASSIGN, ACTORS),
    ("post", CASE + "/notes", {"body": ""}, ACTORS),
    # messages with the requester, and correcting the day an answer arrived
    ("post", CASE + "/messages", {"body": ""}, ACTORS),
    ("post", CASE + "/clarification-date", {"on": ""}, ACTORS),
    # an email that needs a person: resend or dealt with (no choice made: 422)
    ("post", CASE + "/emails/{email}", {"do": ""}, ACTORS),
    # letters on a case name the requester: only the roles that see requesters download them
    ("post", CASE + "/letters", {"kind": ""}, ACTORS),
    ("get", CASE + "/letters/{letter}", None, DOCUMENTS),
    ("get", CASE + "/letters/{letter}/pdf", None, DOCUMENTS),
    ("get", CASE + "/letters/{letter}/view", None, DOCUMENTS),
    ("post", CASE + "/letters/{letter}/wording", {"wording": ""}, ACTORS),  # empty: 422
    ("post", CASE + "/letters/{letter}/send", {"via": ""}, ACTORS),  # no 'via': 422
    # overriding the legal checks of a letter (this one passes them: nothing to override)
    ("post", CASE + "/letters/{letter}/override", {"reason": "x"}, DPO_FORM),
    # what the requester uploaded (their ID): like letters, only for roles shown requesters
    ("get", CASE + "/evidence/{evidence}", None, DOCUMENTS),
    # gathering records (already started; the pupil is on no imported roll)
    ("get", CASE + "/gathering", None, READERS),
    ("post", CASE + "/gathering/start", {}, ACTORS_REDIRECT),
    ("post", CASE + "/gathering/tasks", {"source": "none"}, ACTORS),
    ("post", CASE + "/gathering/tasks/{task}/drop", {"reason": ""}, ACTORS),
    ("post", CASE + "/gathering/upload", {}, ACTORS),
    ("post", CASE + "/gathering/mis", {}, ACTORS),
    ("post", CASE + "/gathering/mailbox", {}, ACTORS),
    ("get", CASE + "/gathering/mailbox/{mail_import}.json", None, READERS),
    # gathered files: as letters; a record owner also gets what they uploaded, a viewer none
    ("get", CASE + "/documents/{upload}", None, DOCUMENTS),
    ("get", CASE + "/documents/{owners_upload}", None, _row(OK, OK, OK, FORBIDDEN)),
    # review and withholding; the bundle cannot be built (a PDF needs redacting by hand)
    # nor released (its build failed), and only a DPO may try to release it
    ("get", CASE + "/review", None, READERS),
    ("get", CASE + "/review/{upload}", None, READERS),
    ("post", CASE + "/review/{upload}", {}, ACTORS_REDIRECT),
    ("post", CASE + "/review/{upload}/bulk", {"kind": ""}, ACTORS_REDIRECT),
    ("post", CASE + "/review/{upload}/recheck", {}, ACTORS_REDIRECT),
    ("post", CASE + "/review/{owners_upload}/redacted", {}, ACTORS),
    # only mailbox documents can be included or left out; a check can always be settled
    ("post", CASE + "/review/{upload}/include", {}, _row(CONFLICT, CONFLICT, FORBIDDEN, FORBIDDEN)),
    ("post", CASE + "/review/{upload}/settle", {}, ACTORS_REDIRECT),
    # tagging is case work; signing off is the designated safeguarding lead's alone
    ("post", CASE + "/review/0/safeguarding", {}, _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
    ("post", CASE + "/review/{upload}/dsl-signoff", {}, NOBODY_HERE),
    ("get", CASE + "/schedule.csv", None, DOCUMENTS),
    ("post", CASE + "/withholdings", {}, ACTORS),
    ("post", CASE + "/bundle", {}, _row(CONFLICT, CONFLICT, FORBIDDEN, FORBIDDEN)),
    ("get", CASE + "/bundle/{bundle}.json", None, READERS),
    ("post", CASE + "/bundle/{bundle}/release", {},
        _row(CONFLICT, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    # documents delivered another way (post, in person, secure email): the DPO, like release
    ("post", CASE + "/delivery", {"via": ""}, DPO_FORM),
    # gathering tasks: the assignee (the record owner) and case workers; anyone else "not found"
    ("get", TASK, None, _row(OK, OK, OK, MISSING)),
    ("post", TASK + "/upload", {}, _row(BAD, BAD, BAD, MISSING)),
    ("post", TASK + "/nothing-held", {"note": ""}, _row(BAD, BAD, BAD, MISSING)),
    ("get", OTHERS_TASK, None, _row(OK, OK, MISSING, MISSING)),
    ("post", OTHERS_TASK + "/upload", {}, _row(BAD, BAD, MISSING, MISSING)),
    ("post", OTHERS_TASK + "/nothing-held", {"note": ""}, _row(BAD, BAD, MISSING, MISSING)),
    # the school's settings (staff blueprint): DPO only
    ("get", SETTINGS, None, DPO_PAGE),
    ("post", SETTINGS + "/details", {"name": ""}, DPO_FORM),
    ("post", SETTINGS + "/calendar", {}, DPO_FORM),
    ("post", SETTINGS + "/staff", {"staff-email": ""}, DPO_FORM),
    ("post", SETTINGS + "/staff/{staff}", {"do": "nothing"}, DPO_FORM),
    ("post", SETTINGS + "/reminders", {"reminders": ""}, DPO_FORM),
    ("post", SETTINGS + "/notice", {}, DPO_FORM),
    ("post", SETTINGS + "/art15", {}, DPO_FORM),
    # the notice review: this school has no notice yet, so back to settings / not found
    ("get", SETTINGS + "/notice/review", None, DPO_REDIRECT),
    ("post", SETTINGS + "/notice/review/categories", {"items": "x"},
        _row(MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("post", SETTINGS + "/languages", {}, DPO_FORM),
    ("post", SETTINGS + "/wording", {"msgid": ""}, DPO_FORM),
    # letter wording and logo (letters blueprint)
    ("get", SETTINGS + "/letters", None, DPO_PAGE),
    ("get", SETTINGS + "/letters/acknowledgement", None, DPO_PAGE),
    ("post", SETTINGS + "/letters/acknowledgement", TOO_LONG, DPO_FORM),
    ("post", SETTINGS + "/letters/logo", {}, DPO_FORM),
    # data inventory (already seeded from the notice) and MIS imports (records blueprint)
    ("get", SETTINGS + "/inventory", None, DPO_PAGE),
    ("post", SETTINGS + "/inventory", {"name": ""}, DPO_FORM),
    ("post", SETTINGS + "/inventory/{source}", {"owner": "nobody"}, DPO_FORM),
    ("post", SETTINGS + "/inventory/seed", {}, DPO_REDIRECT),
    ("get", SETTINGS + "/mis", None, DPO_PAGE),
    ("post", SETTINGS + "/mis", {"kind": ""}, DPO_FORM),
    ("post", SETTINGS + "/review-rules", {}, DPO_REDIRECT),  # off already: nothing changes
    # parents' questions hold their words and address: the roles that see requesters answer
    ("post", QUESTION + "/answer", {"answer": ""}, ACTORS),
    ("post", QUESTION + "/close", {"reason": ""}, ACTORS),
]  # fmt: skip

#: The own school's case or settings naming another school's object: a role the page
#: lets in gets 404; a role it does not is stopped first, with its usual 403.
CROSSED = [
    ("get", CASE + "/letters/{other.letter}", None, _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
    ("get", CASE + "/letters/{other.letter}/pdf", None,
        _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
    ("post", CASE + "/letters/{other.letter}/send", {"via": "post"},
        _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
    ("get", CASE + "/letters/{other.letter}/view", None,
        _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
    ("post", CASE + "/letters/{other.letter}/wording", {"wording": "x"},
        _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
    ("get", CASE + "/evidence/{other.evidence}", None,
        _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
    ("post", CASE + "/emails/{other.email}", {"do": "resend"},
        _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
    ("get", CASE + "/documents/{other.upload}", None, _row(MISSING, MISSING, MISSING, FORBIDDEN)),
    ("get", CASE + "/review/{other.upload}", None, _row(MISSING, MISSING, FORBIDDEN, MISSING)),
    ("post", CASE + "/gathering/tasks/{other.task}/drop", {"reason": "x"},
        _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
    ("post", CASE + "/gathering/upload", {"task": "{other.task}"},
        _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
    ("get", CASE + "/bundle/{other.bundle}.json", None, _row(MISSING, MISSING, FORBIDDEN, MISSING)),
    ("post", CASE + "/bundle/{other.bundle}/release", {},
        _row(MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("post", SETTINGS + "/staff/{other.staff}", {"do": "nothing"},
        _row(MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("post", SETTINGS + "/inventory/{other.source}", {"owner": ""},
        _row(MISSING, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    ("post", "/staff/questions/{slug}/{other.question}/close", {"reason": "x"},
        _row(MISSING, MISSING, FORBIDDEN, FORBIDDEN)),
]  # fmt: skip

#: Not tied to a school.
UNSCOPED = [
    # public: sign-in and password reset (a signed-in browser gets the same answers)
    ("get", "/staff/", None, _all(OK)),  # the queue, or the sign-in page
    ("get", "/staff/sign-in", None, _all(OK)),
    ("post", "/staff/sign-in", {}, _all(BAD)),
    ("get", "/staff/sign-in/code", None, NOT_YET),
    ("post", "/staff/sign-in/code", {"code": ""}, NOT_YET),
    ("get", "/staff/sign-in/set-up-two-factor", None, NOT_YET),
    ("post", "/staff/sign-in/set-up-two-factor", {"code": ""}, NOT_YET),
    ("get", "/staff/password/forgot", None, _all(OK)),
    ("post", "/staff/password/forgot", {"email": ""}, _all(BAD)),
    ("get", "/staff/password/reset/not-a-token", None, _all(INVALID)),
    ("post", "/staff/password/reset/not-a-token", {"password": ""}, _all(INVALID)),
    # signed in, any role
    ("get", "/staff/queue", None, EVERYONE),
    ("get", "/staff/queue.csv", None, EVERYONE),
    # requests that need a look: only the roles that can decide on them
    ("get", "/staff/needs-look", None, _row(OK, OK, FORBIDDEN, FORBIDDEN)),
    # emails that bounced or failed may quote an address: the roles shown requesters
    ("get", "/staff/emails", None, DOCUMENTS),
    ("get", "/staff/tasks", None, EVERYONE),
    ("get", "/staff/account", None, EVERYONE),
    ("get", "/staff/account/two-factor", None, EVERYONE),
    # changing two-factor asks for the password first (a page; new codes: on to that page,
    # or back to the account for those with no two-factor)
    ("post", "/staff/account/two-factor", {"code": ""}, EVERYONE),
    ("post", "/staff/account/recovery-codes", {}, _row(FOUND, FOUND, FOUND, FOUND)),
    ("get", "/staff/account/confirm-password", None, EVERYONE),
    ("post", "/staff/account/confirm-password", {"password": ""}, _row(401, 401, 401, 401)),
    ("post", "/staff/account/tokens", {"name": "matrix"}, EVERYONE),
    ("post", "/staff/account/tokens/999999/revoke", {}, GONE),
    ("get", "/staff/cases/new", None, _row(OK, OK, FORBIDDEN, FORBIDDEN)),
    ("post", "/staff/cases/new", {"school": "{own.slug}"}, ACTORS),
    ("get", "/staff/settings", None, DPO_REDIRECT),  # on to the DPO's one school
    # oversight: figures, the register and the governors' report hold no personal data, for
    # the DPO, owner and viewer; the audit log names staff (DPO only); everyone's calendar
    ("get", "/staff/dashboard", None, OVERSEERS),
    ("get", "/staff/register", None, OVERSEERS),
    ("get", "/staff/register.csv", None, OVERSEERS),
    ("get", "/staff/register.xlsx", None, OVERSEERS),
    ("get", "/staff/reports", None, OVERSEERS),
    ("get", "/staff/reports/governors.pdf", None, OVERSEERS),
    ("get", "/staff/audit", None, DPO_PAGE),
    ("get", "/staff/audit.csv", None, DPO_PAGE),
    ("get", "/staff/calendar", None, EVERYONE),
    ("get", "/staff/questions", None, DOCUMENTS),
    ("post", "/staff/calendar/link", {}, EVERYONE),
    ("post", "/staff/calendar/link/revoke", {}, EVERYONE),
]  # fmt: skip

#: Run last: each ends the session (checked), and the runner signs back in.
SIGN_OUT = [
    ("post", "/staff/sign-out", {}, NOT_YET),
    ("post", "/staff/sign-out-everywhere", {}, NOT_YET),
]  # fmt: skip
ENDS_SESSION = {url for _, url, _, _ in SIGN_OUT}


@dataclass(frozen=True)
class Site:
    """One school's ids, as the URLs need them."""

    slug: str
    case: str  # a case reference
    letter: int  # a letter on the case
    upload: int  # a text file a caseworker gathered
    owners_upload: int  # a PDF the record owner uploaded for their task
    task: int  # the record owner's gathering task
    others_task: int  # an unassigned gathering task
    bundle: int  # a bundle build (it failed)
    source: int  # a data source in the inventory
    staff: int  # a member of staff there
    evidence: int  # an ID document the requester uploaded
    mail_import: int  # a finished mailbox import
    question: int  # an open question a parent sent the school
    email: int  # the case's acknowledgement email (a notification row)


def _fill(value, own: Site, other: Site, site: Site):
    if isinstance(value, str):
        return value.format(own=own, other=other, **vars(site))
    if isinstance(value, dict):
        return {k: _fill(v, own, other, site) for k, v in value.items()}
    return value


def routes(own: Site, other: Site) -> list[tuple[str, str, dict | None, dict]]:
    """(method, url, form data, {role: expected}) for every row, in the order they run."""
    table = []

    def add(rows, site: Site, expected=None):
        for method, url, data, row in rows:
            filled = (_fill(url, own, other, site), _fill(data, own, other, site))
            table.append((method, *filled, expected or row))

    add(UNSCOPED, own)
    add(SCOPED, own)
    add(SCOPED, other, GONE)
    add(CROSSED, own)
    add(SIGN_OUT, own)
    return table


# --- arranging two schools' worth of objects ------------------------------------------


def _label(user) -> str:
    """How the records pages name whoever did something (``records.web.actor``)."""
    return f"{user.name} ({user.email})"


def _site(db, factory, school, owner, caseworker, staff) -> Site:
    case = factory.case(school, date.today())
    letter = generate_letter(db, case, "acknowledgement", actor_label="System")
    source = DataSource(
        school_id=school.id, name="SEN folder", system_kind="sen", owner_id=owner.id
    )
    db.add(source)
    inventory.seed_inventory(db, school)  # so seeding again adds nothing
    task = gathering.add_task(db, case, "", None, "test", source)  # the source's owner's
    others_task = gathering.add_task(db, case, "Paper files", None, "test")
    owners_upload = documents.add_gathered(
        db, case, pdf_bytes(school.slug), "scan.pdf",
        source_name=task.source_name, created_by=_label(owner), task=task,
    )  # fmt: skip
    upload = documents.add_gathered(
        db, case, b"Notes from the office about the pupil.\n", "notes.txt",
        source_name="Added by a caseworker", created_by=_label(caseworker),
    )  # fmt: skip
    bundle = Bundle(case_id=case.id, status="failed", error="test", requested_by="test")
    evidence = EvidenceUpload.from_stored(
        case.id, "identity", save_upload(pdf_bytes("passport"), "passport.pdf"), "portal"
    )
    mail_import = MailImport(
        case_id=case.id, filename="export.mbox", status="done", skipped=[], search_terms=[]
    )
    question = ParentQuestion(school_id=school.id, text="Why?", email="parent@example.com")
    db.add_all([bundle, evidence, mail_import, question])
    db.commit()
    return Site(
        slug=school.slug,
        case=case.reference,
        letter=letter.id,
        upload=upload.id,
        owners_upload=owners_upload.id,
        task=task.id,
        others_task=others_task.id,
        bundle=bundle.id,
        source=source.id,
        staff=staff.id,
        evidence=evidence.id,
        mail_import=mail_import.id,
        question=question.id,
        email=db.scalar(select(Notification.id).where(Notification.case_id == case.id)),
    )


@pytest.fixture
def sites(team, factory, db) -> tuple[Site, Site]:
    """The same objects at both schools. Each school numbers its own cases, so the two
    cases even share a reference: only the school in the URL tells them apart."""
    own = _site(
        db, factory, team.school, team.owner.user, team.caseworker.user, team.caseworker.user
    )
    other_owner = factory.staff(team.other, "owner").user
    other_caseworker = factory.staff(team.other, "caseworker").user
    other = _site(db, factory, team.other, other_owner, other_caseworker, team.other_dpo.user)
    return own, other


#: Signing in and out writes to users (failed attempts, last code, session epoch); a DPO's
#: new recovery codes replace the old ones. Each sign-in is a staff session row; anyone may
#: make themselves an API token. Sign-ins, downloads and exports are written to the audit
#: log, and each person may replace or turn off their own calendar link.
SIGN_IN_TABLES = {
    "users",
    "recovery_codes",
    "staff_sessions",
    "api_tokens",
    "audit_log",
    "calendar_feeds",
}


def snapshot(app) -> dict[str, list]:
    """Every row of every other table, to show the matrix changed nothing."""
    with app.extensions["sar.db"].engine.connect() as conn:
        return {
            table.name: sorted((tuple(row) for row in conn.execute(table.select())), key=repr)
            for table in Base.metadata.sorted_tables
            if table.name not in SIGN_IN_TABLES
        }


def outcome(response) -> int | str:
    if response.status_code == 302 and urlsplit(response.location).path == "/staff/sign-in":
        return SIGN_IN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, app, web, team, sites):
    if role != "signed_out":
        sign_in_as(web, team, role)
    before = snapshot(app)
    wrong = []
    for method, url, data, expected in routes(*sites):
        response = web.get(url) if method == "get" else web.post(url, data)
        if outcome(response) != expected[role]:
            wrong.append(f"{method.upper()} {url}: {outcome(response)} != {expected[role]}")
        if role != "signed_out" and url in ENDS_SESSION:
            assert outcome(web.get("/staff/queue")) == SIGN_IN, f"{url} left {role} signed in"
            sign_in_as(web, team, role)
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
    after = snapshot(app)
    assert [t for t in before if before[t] != after[t]] == [], "the matrix changed data"


def test_the_matrix_covers_every_route(app):
    """Every (endpoint, method) under /staff has a row; a new route without one fails here."""
    ids = len(fields(Site)) - 2
    own = Site("oakfield", "SAR-2026-0001", *range(1, ids + 1))
    other = Site("beech-academy", "SAR-2026-0002", *range(101, ids + 101))
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, url, _, expected in routes(own, other):
        assert set(expected) == set(ROLES), url
        endpoint, _ = adapter.match(url, method=method.upper())
        covered.add((endpoint, method.upper()))
    every = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.rule == "/staff" or rule.rule.startswith("/staff/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(every - covered)
    assert not missing, "no row in the matrix for: " + ", ".join(f"{m} {e}" for e, m in missing)
    assert covered == every
