"""Every catalogue is complete, not fuzzy, flagged for native review, compiled, and current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from sar_service.i18n import TRANSLATIONS
from sar_service.i18n.languages import CODES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [c for c in CODES if c != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _po(code: str):
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=code)


def _pot():
    with open(TRANSLATIONS / "messages.pot", "rb") as f:
        return read_po(f)


def test_at_least_eight_languages_besides_english_including_both_rtl():
    assert len(TRANSLATED) >= 8
    assert {"ar", "ur"} <= set(TRANSLATED)


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_is_complete_and_not_fuzzy(code):
    catalogue = _po(code)
    expected = {m.id for m in _pot() if m.id}
    have = {m.id: m for m in catalogue if m.id}
    missing = [str(i)[:60] for i in expected if i not in have]
    assert not missing, f"{code}: {len(missing)} untranslated, e.g. {missing[:3]}"
    empty = [
        m.id for m in have.values() if not all(_key(m.string) if m.pluralizable else [m.string])
    ]
    fuzzy = [m.id for m in have.values() if m.fuzzy]
    assert not empty, f"{code}: empty translations {empty[:3]}"
    assert not fuzzy, f"{code}: fuzzy translations {fuzzy[:3]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_survive_translation(code):
    for m in _po(code):
        if not m.id or isinstance(m.id, tuple):
            continue
        assert set(PLACEHOLDER.findall(m.string)) == set(PLACEHOLDER.findall(m.id)), (code, m.id)


@pytest.mark.parametrize("code", TRANSLATED)
def test_header_asks_for_native_speaker_review(code):
    text = (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    assert "NEEDS REVIEW BY A NATIVE SPEAKER" in text.split('msgid ""')[0]


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalogue_matches_its_source(code):
    """The shipped .mo (what the app reads) says exactly what the .po says: run
    ``make i18n-compile`` after editing a .po."""
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    source = {_key(m.id): _key(m.string) for m in _po(code) if m.id}
    assert compiled == source


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_template_is_current_with_the_marked_strings():
    """Every string marked in code or templates is in messages.pot (``make i18n-update``)."""
    method_map = [
        ("sar_service/**.py", "python"),
        ("sar_service/templates/base.html", "jinja2"),
        ("sar_service/templates/intake/**.html", "jinja2"),
        ("sar_service/templates/portal/**.html", "jinja2"),
        ("sar_service/templates/errors/**.html", "jinja2"),
        ("sar_service/templates/email/acknowledgement.*", "jinja2"),
        ("sar_service/templates/email/portal_link.*", "jinja2"),
        ("sar_service/templates/email/draft_resume.*", "jinja2"),
        ("sar_service/templates/email/id_chase.*", "jinja2"),
        ("sar_service/templates/email/_layout.html", "jinja2"),
    ]
    keywords = {"_": None, "_l": None, "N_": None, "lazy_gettext": None, "gettext": None,
                "ngettext": (1, 2)}  # fmt: skip
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    in_pot = {m.id if isinstance(m.id, str) else m.id[0] for m in _pot() if m.id}
    assert found - in_pot == set(), "run make i18n-update and translate the new strings"


def test_known_messages_still_match_their_sources():
    """Words defined in pure modules are listed in i18n.known_messages for extraction."""
    from sar_service.i18n import known_messages
    from sar_service.models.portal import EVIDENCE_KINDS
    from workflows.states import PARENT_LABELS

    assert set(PARENT_LABELS.values()) == set(known_messages.PARENT_LABELS)
    assert set(EVIDENCE_KINDS.values()) == set(known_messages.EVIDENCE_KINDS)


def test_every_request_types_words_for_parents_are_in_the_catalogue():
    """workflows.request_types is pure, so its words for parents are listed for extraction in
    known_messages.REQUEST_TYPES and translated where shown (intake.rights, intake.flow)."""
    from sar_service.i18n import known_messages
    from workflows.request_types import REQUEST_TYPES

    shown = set()
    for t in REQUEST_TYPES.values():
        shown |= {t.parent_label, t.parent_hint, t.limit_note, t.details_title}
        for d in t.details:
            shown |= {d.question if d.required else f"{d.question} (optional)", d.hint}
    shown.discard("")
    missing = shown - set(known_messages.REQUEST_TYPES)
    assert not missing, f"add these to i18n.known_messages.REQUEST_TYPES: {missing}"


def test_validation_messages_a_parent_can_meet_are_all_in_the_catalogue():
    from datetime import date

    from sar_service.cases.validation import validate_request
    from sar_service.i18n import known_messages

    bad = {
        "types": ["rectification", "erasure", "restriction", "objection", "withdraw_consent",
                  "complaint"],
        "requester": {"name": "", "email": "nope", "phone": "x", "relationship": "?"},
        "subject": {"name": "", "date_of_birth": "1970-01-01"},
        "details": {},
    }  # fmt: skip
    errors = validate_request(bad, school_kind="maintained", today=date(2026, 1, 1)).errors
    messages = set(errors.values())
    messages |= set(
        validate_request(
            {"types": []}, school_kind="academy", today=date(2026, 1, 1)
        ).errors.values()
    )
    messages |= set(
        validate_request(
            {"types": ["educational_record"]}, school_kind="academy", today=date(2026, 1, 1)
        ).errors.values()
    )
    unknown = messages - set(known_messages.VALIDATION)
    assert not unknown, f"add these to i18n.known_messages.VALIDATION: {unknown}"
