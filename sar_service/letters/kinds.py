"""The letter kinds and the legal content each one must carry.

The content checks are data, not tests hidden elsewhere: the unit tests run
them on every rendered letter, and ``validate_template`` runs them on a
school's edited wording so that, say, deleting the ICO paragraph from the
refusal is reported when the template is saved. Checks match loosely (case,
spacing, curly quotes) so a school may reword freely, as long as the legal
point is still there. Sources: docs/legal.md (Art 12, 15, 19,
12A UK GDPR; DPA 2018 s.164A; the 2005 Pupil Information Regulations).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from workflows.request_types import REQUEST_TYPES, can_extend, known, waits_for_identity

from .context import OUTCOMES, LetterContext
from .templating import clean_text, longdate

Test = Callable[[str, LetterContext], bool]
Applies = Callable[[LetterContext], bool]


@dataclass(frozen=True)
class Check:
    """One thing a letter must say. ``label`` is shown to staff when missing."""

    key: str
    label: str
    test: Test
    applies: Applies = lambda ctx: True  # noqa: E731 - a default predicate


@dataclass(frozen=True)
class LetterKind:
    """A kind of letter: its subject line, what it is for, what it must say."""

    name: str
    title: str
    description: str
    checks: tuple[Check, ...]


def normalise(text: str) -> str:
    """Lower case, straight quotes, single spaces: what the checks compare."""
    text = clean_text(text).replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def _contains(text: str, value: str | None) -> bool:
    return normalise(value) in text if value else False


def _value(
    key: str, label: str, get: Callable[[LetterContext], str | Iterable[str] | None], applies=None
) -> Check:
    """Every value (a string or each item of a list) appears in the letter."""

    def test(text: str, ctx: LetterContext) -> bool:
        value = get(ctx)
        items = [value] if isinstance(value, str) or value is None else list(value)
        return all(_contains(text, item) for item in items)

    return Check(key, label, test, applies or (lambda ctx: True))


def _pattern(key: str, label: str, *patterns: str, applies=None) -> Check:
    """Every regular expression matches somewhere in the letter."""
    compiled = [re.compile(p) for p in patterns]
    return Check(
        key,
        label,
        lambda text, ctx: all(p.search(text) for p in compiled),
        applies or (lambda ctx: True),
    )


def _notice(attr: str, key: str, label: str) -> Check:
    """Art 15 facts from the notice: each listed item. A pointer to the notice, or "on
    request", does not satisfy Art 15: an empty list fails until the school supplies it."""

    def test(text: str, ctx: LetterContext) -> bool:
        items = getattr(ctx.notice, attr)
        return bool(items) and all(_contains(text, item) for item in items)

    return Check(key, label, test)


def _sources(ctx: LetterContext) -> list[str]:
    return [*ctx.record_sources, *ctx.notice.sources]


def _pupil_words(text: str) -> str:
    """The same sentence addressed to a pupil writing for themselves."""
    return text.replace("your child's", "your").replace("your child", "you")


#: Art 15 facts that must exist on the record before an access response can be made.
ART15_FACTS: dict[str, Callable[[LetterContext], object]] = {
    "why we use the information (purposes), from the privacy notice": lambda c: c.notice.purposes,
    "the categories of information we hold, from the privacy notice": lambda c: c.notice.categories,
    "who we share the information with (recipients), from the privacy notice": (
        lambda c: c.notice.recipients
    ),
    "how long we keep the information (retention), from the privacy notice": (
        lambda c: c.notice.retention
    ),
    "where the information came from (sources): the records gathered or the privacy notice": (
        _sources
    ),
    "automated decision-making (Article 15(1)(h)), in the school's settings": (
        lambda c: c.automated_decisions
    ),
    "transfers outside the UK and their safeguards (Article 15(2)), in the school's settings": (
        lambda c: c.transfers_abroad
    ),
}


def missing_facts(ctx: LetterContext) -> list[str]:
    """The Art 15 items the record lacks: an access response cannot be made until supplied."""
    if ctx.kind != "access_response":
        return []
    return [label for label, get in ART15_FACTS.items() if not get(ctx)]


def _outcome_in(*outcomes: str) -> Applies:
    return lambda ctx: ctx.outcome in outcomes


_not_done = _outcome_in("partly", "refused")
_acted = _outcome_in("done", "partly")

COMMON = (
    _value("reference", "our reference", lambda c: c.reference),
    _value("subject", "the pupil's name", lambda c: c.subject_name),
    _value("date", "the date of the letter in words", lambda c: longdate(c.today)),
)
ICO = _pattern(
    "ico",
    "the right to complain to the Information Commissioner's Office (ico.org.uk, 0303 123 1113)",
    r"ico\.org\.uk",
    r"0303 123 1113",
)
COURTS = _pattern(
    "judicial_remedy",
    "the right to seek to enforce your rights through the courts (judicial remedy)",
    r"\bcourts?\b",
)
SCHOOL_COMPLAINT = _pattern(
    "school_complaint",
    "the right to complain to the school first (its complaints process or the DPO)",
    r"complain\w* to (us|the school)|our (data protection )?complaints (process|procedure|policy)",
)


def _remedies(applies: Applies | None = None) -> tuple[Check, ...]:
    """Art 12(4): reasons are separate; these are the three routes of redress."""
    if applies is None:
        return (ICO, COURTS, SCHOOL_COMPLAINT)
    return tuple(Check(c.key, c.label, c.test, applies) for c in (ICO, COURTS, SCHOOL_COMPLAINT))


def _outcome_checks(right: str, type_name: str) -> tuple[Check, ...]:
    """Shared by the outcome letters of the rights where staff decide (``staff_decides``)."""
    tells_recipients = REQUEST_TYPES[type_name].tells_recipients
    checks = [
        Check(
            "outcome",
            "an outcome of 'done', 'partly' or 'refused'",
            lambda text, ctx: ctx.outcome in OUTCOMES,
        ),
        _value(
            "outcome_reasons",
            f"the reasons why the {right} was not (fully) carried out",
            lambda c: c.outcome_reasons,
            applies=_not_done,
        ),
        *_remedies(_not_done),
    ]
    if tells_recipients:
        checks.append(
            _value(
                "recipients_notified",
                "who we told about the change (Article 19)",
                lambda c: c.recipients_notified,
                applies=_acted,
            )
        )
    return tuple(checks)


_WITHHELD_WORDS = r"withh[eo]ld|not included"

WITHHELD = (
    _value(
        "withheld",
        "the grounds (exemptions) relied on for information withheld, in general terms",
        lambda c: c.withheld_grounds,
        applies=lambda c: bool(c.withheld_grounds),
    ),
    _pattern(
        "withheld_statement",
        "a statement that some information was withheld",
        _WITHHELD_WORDS,
        applies=lambda c: bool(c.withheld_grounds),
    ),
    Check(
        "withheld_not_described",
        "wording that never describes what was withheld (only that something was, and why)",
        lambda text, ctx: not any(_contains(text, what) for _, what in ctx.withheld),
        lambda ctx: bool(ctx.withheld),
    ),
    Check(
        "withheld_say_nothing",
        "no mention of withheld information: the school chose to say nothing about it",
        lambda text, ctx: not re.search(_WITHHELD_WORDS, text),
        lambda ctx: ctx.withheld_silently and not ctx.withheld_grounds,
    ),
)

_ACCESS = (
    _pattern(
        "confirmation",
        "confirmation that we process personal data about the pupil",
        r"\bconfirm",
        r"\b(process|hold)",
    ),
    _pattern(
        "copy",
        "a copy of the personal data, enclosed or to download",
        r"\bcop(y|ies)\b",
        r"enclos|attach|download|portal",
    ),
    _notice("purposes", "purposes", "why we use the information (purposes)"),
    _notice("categories", "categories", "the categories of information we hold"),
    _notice("recipients", "recipients", "who we share the information with (recipients)"),
    _notice("retention", "retention", "how long we keep the information"),
    _pattern("right_rectification", "the right to have information corrected", r"rectif"),
    _pattern("right_erasure", "the right to have information erased", r"\beras"),
    _pattern("right_restriction", "the right to restrict how we use information", r"restrict"),
    _pattern("right_objection", "the right to object", r"\bobject"),
    ICO,
    Check(
        "sources",
        "where the information came from (sources: the records searched or the privacy notice)",
        lambda text, ctx: bool(_sources(ctx)) and all(_contains(text, s) for s in _sources(ctx)),
    ),
    Check(
        "automated",
        "whether decisions are made by automated means (Article 15(1)(h): the school's settings)",
        lambda text, ctx: (
            _contains(text, ctx.automated_decisions)
            or _contains(text, _pupil_words(ctx.automated_decisions))
        ),
    ),
    Check(
        "transfers",
        "safeguards for transfers outside the UK (Article 15(2): the school's settings)",
        lambda text, ctx: (
            _contains(text, ctx.transfers_abroad)
            or _contains(text, _pupil_words(ctx.transfers_abroad))
        ),
    ),
    _pattern(
        "not_on_request",
        "the Article 15 items themselves: 'available on request' does not satisfy Article 15",
        r"^(?!.*\bon request\b)",
    ),
    *WITHHELD,
)


def _routes(ctx: LetterContext, route: str) -> bool:
    """Whether any of the letter's requests goes to ``route`` when refused."""
    return any(t.complaints_route == route for t in known(ctx.request_types))


def _kind(name: str, title: str, description: str, *checks: Check) -> LetterKind:
    return LetterKind(name, title, description, COMMON + tuple(checks))


KINDS: dict[str, LetterKind] = {
    k.name: k
    for k in (
        _kind(
            "acknowledgement",
            "Your request: acknowledgement",
            "Confirms receipt, the reference and the date we will reply by.",
            _value(
                "received_on", "the date we received the request", lambda c: longdate(c.received_on)
            ),
            _value("due_date", "the date we will reply by", lambda c: longdate(c.due_date)),
            _pattern(
                "extension_warning",
                "that complex requests may take up to two further months",
                r"two (further|more) months",
                applies=lambda c: can_extend(c.request_types),
            ),
        ),
        _kind(
            "identity_request",
            "Your request: proof of identity",
            "Asks for proof of identity; the time limit starts when it arrives.",
            _value(
                "identity_documents",
                "the documents we accept as proof of identity",
                lambda c: c.identity_documents,
            ),
            _pattern(
                "clock_starts",
                "that the time limit starts when we receive proof of identity",
                r"\b(starts?|begins?)\b[^.]*\b(receive|arrive)",
                applies=lambda c: bool(waits_for_identity(c.request_types)),
            ),
            Check(
                "acting_now",
                "that we act now on a withdrawal of consent or a complaint (they do not wait "
                "for proof of identity), never that we cannot take any further action",
                lambda text, ctx: (
                    not re.search(r"cannot take any (further )?action", text)
                    and bool(re.search(r"without waiting|does not wait", text))
                ),
                lambda ctx: any(t.without_identity for t in known(ctx.request_types)),
            ),
        ),
        _kind(
            "clarification_request",
            "Your request: we need more information",
            "Asks what exactly is wanted; the clock is paused until the reply (Article 12A).",
            _value("question", "what we need to know", lambda c: c.clarification_question),
            _pattern("paused", "that the time limit is paused until we hear back", r"\bpaus"),
        ),
        _kind(
            "extension_notice",
            "Your request: we need more time",
            "Extends by up to two months, with reasons; must go within the first month.",
            _value(
                "extension_reason", "the reasons for the extension", lambda c: c.extension_reason
            ),
            _value(
                "extended_due_date",
                "the new date we will reply by",
                lambda c: longdate(c.extended_due_date) or None,
            ),
            Check(
                "within_first_month",
                "sent within the first month (on or before the original due date)",
                lambda text, ctx: ctx.today <= ctx.due_date,
            ),
        ),
        _kind(
            "access_response",
            "Your subject access request: our response",
            "The reply to an access request with every Article 15 item.",
            *_ACCESS,
        ),
        _kind(
            "educational_record_response",
            "Your request to see the educational record",
            "The reply under the 2005 Pupil Information Regulations (15 school days).",
            _pattern(
                "regulations",
                "the Education (Pupil Information) (England) Regulations 2005",
                r"education \(pupil information\) \(england\) regulations 2005",
            ),
            _pattern("school_days", "the 15 school day time limit", r"\b(15|fifteen) school days"),
            _pattern("copy", "the record enclosed or to view", r"enclos|attach|download|view"),
            *WITHHELD,
        ),
        _kind(
            "rectification_outcome",
            "Your request to correct information: our decision",
            "What we corrected (Art 16), the restriction meanwhile, who we told (Art 19).",
            _pattern(
                "restricted",
                "that we restricted use of the information while we checked it",
                r"restrict",
                applies=lambda c: c.restricted,
            ),
            Check(
                "not_restricted",
                "no claim that use was restricted: no restriction was recorded",
                lambda text, ctx: not re.search(r"\bwe restricted\b|restriction on the", text),
                lambda ctx: not ctx.restricted,
            ),
            _value(
                "corrected",
                "what we corrected",
                lambda c: c.corrected,
                applies=_acted,
            ),
            *_outcome_checks("correction", "rectification"),
        ),
        _kind(
            "erasure_outcome",
            "Your request to erase information: our decision",
            "What we erased (Art 17) or why the law requires us to keep it.",
            *_outcome_checks("erasure", "erasure"),
            _pattern(
                "published",
                "the steps to tell others who publish information we made public (Art 17(2))",
                r"17\(2\)",
                applies=lambda c: c.erasure_published and c.outcome != "refused",
            ),
        ),
        _kind(
            "restriction_outcome",
            "Your request to restrict use of information: our decision",
            "Whether and how we restricted use (Art 18), and who we told (Art 19).",
            *_outcome_checks("restriction", "restriction"),
        ),
        _kind(
            "objection_outcome",
            "Your objection: our decision",
            "Whether we stopped the processing objected to (Art 21), and why not.",
            *_outcome_checks("objection", "objection"),
            Check(
                "direct_marketing",
                "that we stopped direct marketing: an objection to it is never refused (Art 21(3))",
                lambda text, ctx: ctx.outcome != "refused" and "direct marketing" in text,
                lambda ctx: ctx.objection_to_marketing,
            ),
        ),
        _kind(
            "refusal",
            "Your request: our decision not to act",
            "Refuses a request with reasons, the ICO, the courts and our complaints process.",
            _value("refusal_reasons", "the reasons for refusing", lambda c: c.refusal_reasons),
            *_remedies(lambda c: _routes(c, "ico")),
            _pattern(
                "school_and_dfe",
                "for the educational record: our complaints procedure, then the Department for "
                "Education",
                r"complaints procedure",
                r"department for education",
                applies=lambda c: _routes(c, "school_and_dfe"),
            ),
            Check(
                "not_ico",
                "no referral to the ICO, which does not regulate the educational-record right",
                lambda text, ctx: "ico.org.uk" not in text,
                lambda ctx: not _routes(ctx, "ico"),
            ),
        ),
        _kind(
            "consent_withdrawal_confirmation",
            "Withdrawal of consent: confirmation",
            "Confirms consent is withdrawn from the date given and which systems were told.",
            _value("consent", "what consent was withdrawn for", lambda c: c.consent_withdrawn_for),
            _value("effective", "the date it took effect", lambda c: longdate(c.received_on)),
            _value(
                "systems", "the systems and organisations told", lambda c: c.recipients_notified
            ),
        ),
        _kind(
            "complaint_acknowledgement",
            "Your data protection complaint: acknowledgement",
            "Acknowledges a complaint under DPA 2018 s.164A; mentions the ICO.",
            _value("complaint", "a summary of the complaint", lambda c: c.complaint_summary),
            _pattern(
                "process",
                "our data protection complaints process",
                r"complaints? (process|procedure|policy)",
            ),
            ICO,
        ),
    )
}

KIND_NAMES: tuple[str, ...] = tuple(KINDS)


def get_kind(name: str) -> LetterKind:
    """The kind called ``name``; ValueError with the valid names otherwise."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(
            f"Unknown letter kind {name!r}; expected one of {', '.join(KIND_NAMES)}"
        ) from None


def missing_content(ctx: LetterContext, text: str) -> list[str]:
    """Labels of the required items that this letter's text does not carry."""
    plain = normalise(text)
    return [
        check.label
        for check in get_kind(ctx.kind).checks
        if check.applies(ctx) and not check.test(plain, ctx)
    ]
