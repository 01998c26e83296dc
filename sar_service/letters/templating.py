"""The sandboxed Jinja environment, its filters and the letters' tiny markup.

Schools edit the wording, so templates are untrusted: they run in Jinja's
``SandboxedEnvironment`` with ``StrictUndefined`` (a misspelt field is an
error, not a silent blank). Autoescape is off because the output is a
``.docx``, not HTML.

Values from the context are *data*. Every ``{{ ... }}`` result is swapped
for an opaque marker before the markup (``# heading``, ``- bullet``,
``**bold**``) is parsed, and only expanded when the runs are built; so a
parent who types ``**``, ``# `` or ``{{ 7*7 }}`` sees exactly that in the
letter.
"""

from __future__ import annotations

import functools
import re
import time
from contextvars import ContextVar
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache

from jinja2 import StrictUndefined, Template, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from workflows.calendars import short_date
from workflows.request_types import can_extend, known, on_clock, waits_for_identity

from .context import (
    DEFAULT_AUTOMATED_DECISIONS,
    DEFAULT_TRANSFERS_ABROAD,
    REQUEST_TYPE_LABELS,
    LetterContext,
    Letterhead,
)

_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
# Characters XML 1.0 forbids (python-docx raises on them), C1 controls, lone
# surrogates, and our own marker characters.
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\ue000\ue001]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c]")
_literals: ContextVar[list[str] | None] = ContextVar("letter_literals", default=None)

#: Limits on what one letter may cost (issue 12 item 14): a letter is a page or two, so these
#: are generous for real wording and stop a template that would hang or flood a worker.
MAX_OUTPUT = 200_000  # characters of text in one letter
MAX_TEXT = 100_000  # characters (or items) of any one value a template builds
MAX_ITERATIONS = 100_000  # loop steps in one letter, all loops together
MAX_RANGE = 10_000  # items in one range()
MAX_SECONDS = 2.0  # wall-clock time to render one letter


class TemplateTooCostly(SecurityError):
    """The template would write too much or take too long: refused, never run to the end."""


class _Budget:
    """What one render has spent so far; checked as the template runs."""

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.steps = 0
        self.output = 0

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_ITERATIONS:
            raise TemplateTooCostly(f"the loops run more than {MAX_ITERATIONS:,} times")
        if self.steps % 256 == 0:
            self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateTooCostly(f"the letter takes longer than {MAX_SECONDS:g} s to write")

    def wrote(self, n: int) -> None:
        self.output += n
        if self.output > MAX_OUTPUT:
            raise TemplateTooCostly(f"the letter is longer than {MAX_OUTPUT:,} characters")
        self.check_time()


_budget: ContextVar[_Budget | None] = ContextVar("letter_budget", default=None)


def _spend() -> _Budget:
    budget = _budget.get()
    return budget if budget is not None else _Budget()  # outside render_blocks: per call


def _too_big(value) -> bool:
    return isinstance(value, str | list | tuple | dict) and len(value) > MAX_TEXT


def _refuse_big_numbers(args, kwargs) -> None:
    """``ljust(10**7)``, ``center(10**7)``: a width or count that would build a huge value."""
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_TEXT:
            raise TemplateTooCostly(f"the number {arg:,} is too large here")


_WIDE_FORMAT = re.compile(r"[%:][^%:{}]*?\d{6,}")


def _refuse_wide_format(value) -> None:
    if isinstance(value, str) and _WIDE_FORMAT.search(value):
        raise TemplateTooCostly("a format width that large is not allowed")


def _budgeted(iterable):
    """Wraps every ``{% for %}`` loop's sequence: counts the steps and watches the clock."""
    budget = _spend()
    for item in iterable:
        budget.step()
        yield item


def _range(*args):
    """Jinja's sandbox allows range(100000) per call; a letter needs far fewer."""
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise TemplateTooCostly(f"range() is limited to {MAX_RANGE:,} numbers")
    return r


def _guarded_filter(f):
    """Filters (``center``, ``indent``, ``format``...) bypass the sandbox's ``call``."""

    @functools.wraps(f)
    def guarded(*args, **kwargs):
        _refuse_big_numbers(args[1:], kwargs)
        if f.__name__ == "do_format" and args:
            _refuse_wide_format(args[0])
        result = f(*args, **kwargs)
        if _too_big(result):
            raise TemplateTooCostly(f"a value longer than {MAX_TEXT:,} characters")
        _spend().check_time()
        return result

    return guarded


#: Names a template may use beyond the fields of LetterContext, with help text.
DERIVED_FIELDS = {
    "school": "the school's name",
    "requester_is_pupil": "true when the pupil wrote for themselves",
    "about": "'your child, <name>' -- or 'you' when the pupil wrote",
    "your_childs": "'your child's' -- or 'your' when the pupil wrote",
    "requests": "the requests in words, e.g. 'a copy of the personal data we hold'",
    "waiting_requests": "the requests that wait for proof of identity, in words",
    "acting_now": "sentences for the requests acted on without waiting for proof of identity",
    "ico_requests": "the requests whose refusal can go to the ICO, in words",
    "dfe_requests": "the requests whose refusal goes to the school's complaints "
    "procedure and the DfE (the educational record), in words",
    "extension_possible": "true when a request may be extended by two months (Art 12(3))",
    "school_days_clock": "true when a request runs on the 15-school-day clock",
    "dpo_contact": "'our Data Protection Officer, <name>, by email at ... or by telephone on ...'",
    "outcome_done": "true when the outcome is 'done'",
    "outcome_partly": "true when the outcome is 'partly'",
    "outcome_refused": "true when the outcome is 'refused'",
}


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Block:
    """One paragraph of a letter: its style name and its runs."""

    style: str
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def clean_text(value: str) -> str:
    """Make text safe for a .docx: Word line breaks become newlines, illegal
    characters go. Nothing else changes: the text stays literal."""
    return _ILLEGAL.sub("", _BREAKS.sub("\n", value))


def longdate(value: date | None) -> str:
    """3 October 2026: no leading zero, English month whatever the locale."""
    if value is None:
        return ""
    if not isinstance(value, date):
        return str(value)
    return short_date(value)


def join_list(value, conjunction: str = "and") -> str:
    """'a, b and c' -- the way a letter lists things."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    items = [str(item).strip() for item in value if str(item).strip()]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def _finalize(value) -> str:
    """Turn each printed value into a marker so the markup never sees it."""
    if value is None:
        text = ""
    elif isinstance(value, date):
        text = longdate(value)
    elif isinstance(value, list | tuple):
        text = join_list(value)
    else:
        text = str(value)
    text = clean_text(text)
    store = _literals.get()
    if store is None:
        return text
    _spend().wrote(len(text))  # the markers are short; count the words they stand for
    store.append(text)
    return f"{_OPEN}{len(store) - 1}{_CLOSE}"


class _LetterSandbox(SandboxedEnvironment):
    """Jinja's sandbox stops attribute escapes but not ``9**9**9`` or
    ``'x' * 10**9``; a template being saved must not be able to hang a
    worker, so huge powers and repetitions are refused too."""

    intercepted_binops = frozenset({"**", "*", "%"})
    _LIMIT = 10_000

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int | float):
            bits = left.bit_length() if isinstance(left, int) else 64
            if abs(right) > 100 or bits * abs(right) > 4096:
                raise SecurityError("number too large")
        if operator == "*":
            seq, count = (left, right) if isinstance(left, str | list | tuple) else (right, left)
            repeated = isinstance(seq, str | list | tuple) and isinstance(count, int)
            if repeated and (count > self._LIMIT or len(seq) * count > MAX_TEXT):
                raise SecurityError("repetition too large")
        if operator == "%":
            _refuse_wide_format(left)
        result = super().call_binop(context, operator, left, right)
        if _too_big(result):
            raise TemplateTooCostly(f"a value longer than {MAX_TEXT:,} characters")
        return result

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        """``'a'.ljust(10**7)`` and friends: refuse huge widths before Python builds them."""
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str | list | tuple | dict):
            _refuse_big_numbers(args, kwargs)
            if getattr(__obj, "__name__", "") in ("format", "format_map"):
                _refuse_wide_format(owner)
        result = super().call(__context, __obj, *args, **kwargs)
        if _too_big(result):
            raise TemplateTooCostly(f"a value longer than {MAX_TEXT:,} characters")
        _spend().check_time()
        return result


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one sandboxed environment (built on first use, not at import)."""
    env = _LetterSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["longdate"] = longdate
    env.filters["join_list"] = join_list
    env.filters = {name: _guarded_filter(f) for name, f in env.filters.items()}
    env.globals["range"] = _range
    env.globals[_LOOP_GUARD] = _budgeted
    return env


_LOOP_GUARD = "letter_loop_guard__"


def _guard_loops(tree: nodes.Template) -> nodes.Template:
    """Every ``{% for %}`` goes through ``_budgeted``, so nested loops cannot run for ever
    even when their bodies write nothing."""
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Call(nodes.Name(_LOOP_GUARD, "load"), [loop.iter], [], None, None)
    return tree


@lru_cache(maxsize=512)
def compile_template(text: str) -> Template:
    """Parse a template once; the compiled form is reused for every letter."""
    env = environment()
    return env.from_string(_guard_loops(env.parse(_ILLEGAL.sub("", text))))


def known_fields() -> frozenset[str]:
    """Every name a template may use (context fields, helpers, Jinja globals)."""
    context_fields = {f.name for f in fields(LetterContext)}
    names = set(environment().globals) - {_LOOP_GUARD}
    return frozenset(context_fields | set(DERIVED_FIELDS) | names)


def unknown_fields(text: str) -> list[tuple[int, str]]:
    """(line, name) for each name the template uses that does not exist.

    Static, so a misspelling inside an ``{% if %}`` branch that the sample
    would not reach is still caught. Raises TemplateSyntaxError.
    """
    tree = environment().parse(_ILLEGAL.sub("", text))
    missing = meta.find_undeclared_variables(tree) - known_fields()
    first_line: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.name in missing:
            first_line.setdefault(node.name, node.lineno)
    return sorted((line, name) for name, line in first_line.items())


def _personal(text: str, default: str, is_pupil: bool) -> str:
    """Our own default sentences say "your child"; a pupil is "you"."""
    if not is_pupil or text != default:
        return text
    return text.replace("your child's", "your").replace("your child", "you")


def dpo_contact(head: Letterhead) -> str:
    """How to reach the DPO, falling back to the school's own contacts."""
    who = (
        f"our Data Protection Officer, {head.dpo_name},"
        if head.dpo_name
        else ("our Data Protection Officer")
    )
    email, phone = head.dpo_email or head.email, head.dpo_phone or head.phone
    ways = [f"by email at {email}" if email else "", f"by telephone on {phone}" if phone else ""]
    ways = [way for way in ways if way]
    if not ways:
        return f"{who.rstrip(',')} at the address above"
    return f"{who} {join_list(ways, 'or')}"


def _requests_by_route(ctx: LetterContext, route: str) -> str:
    types = [t for t in known(ctx.request_types) if t.complaints_route == route]
    return join_list([REQUEST_TYPE_LABELS[t.name] for t in types])


def template_vars(ctx: LetterContext) -> dict:
    """The names a template sees: the context's fields plus a few helpers."""
    values = {f.name: getattr(ctx, f.name) for f in fields(LetterContext)}
    pupil = ctx.requester_is_pupil
    labels = [REQUEST_TYPE_LABELS.get(t, t.replace("_", " ")) for t in ctx.request_types]
    values.update(
        school=ctx.letterhead.school_name,
        requester_is_pupil=pupil,
        about="you" if pupil else f"your child, {ctx.subject_name}",
        your_childs="your" if pupil else "your child's",
        requests=join_list(labels),
        extension_possible=can_extend(ctx.request_types),
        ico_requests=_requests_by_route(ctx, "ico"),
        dfe_requests=_requests_by_route(ctx, "school_and_dfe"),
        waiting_requests=join_list(
            [REQUEST_TYPE_LABELS[t.name] for t in waits_for_identity(ctx.request_types)]
        ),
        acting_now=[t.without_identity for t in known(ctx.request_types) if t.without_identity],
        school_days_clock=on_clock(ctx.request_types, "school_days"),
        dpo_contact=dpo_contact(ctx.letterhead),
        outcome_done=ctx.outcome == "done",
        outcome_partly=ctx.outcome == "partly",
        outcome_refused=ctx.outcome == "refused",
        automated_decisions=_personal(ctx.automated_decisions, DEFAULT_AUTOMATED_DECISIONS, pupil),
        transfers_abroad=_personal(ctx.transfers_abroad, DEFAULT_TRANSFERS_ABROAD, pupil),
    )
    return values


def render_blocks(template: Template, variables: dict) -> list[Block]:
    """Render a compiled template and parse its markup into blocks."""
    store: list[str] = []
    budget = _Budget()
    token, spending = _literals.set(store), _budget.set(budget)
    pieces: list[str] = []
    try:
        for piece in template.generate(variables):
            budget.wrote(len(piece))
            pieces.append(piece)
    finally:
        _literals.reset(token)
        _budget.reset(spending)
    return parse_markup("".join(pieces), store)


def parse_markup(text: str, literals: list[str] | None = None) -> list[Block]:
    """``# Heading``, ``- bullet``, blank line = new paragraph, ``**bold**``.

    Consecutive plain lines join into one paragraph; a bullet is one line.
    Blocks that come out empty (say, an optional field left blank) are
    dropped, so a letter never shows an empty paragraph.
    """
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            _append(blocks, "paragraph", " ".join(pending), literals)
            pending.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        if line.startswith("# ") or line == "#":
            flush()
            _append(blocks, "heading", line[1:].strip(), literals)
        elif line.startswith("- ") or line == "-":
            flush()
            _append(blocks, "bullet", line[1:].strip(), literals)
        elif line:
            pending.append(line)
        else:
            flush()
    flush()
    return blocks


def _append(blocks: list[Block], style: str, line: str, literals: list[str] | None) -> None:
    runs = _runs(line, literals or [])
    if "".join(run.text for run in runs).strip():
        blocks.append(Block(style, runs))


def _runs(line: str, literals: list[str]) -> tuple[Run, ...]:
    """Split on ``**`` (an unpaired one stays literal), then expand markers."""
    parts = line.split("**")
    if len(parts) % 2 == 0:
        parts[-2:] = ["**".join(parts[-2:])]
    runs = []
    for index, part in enumerate(parts):
        text = _MARKER.sub(lambda m: literals[int(m.group(1))], part)
        if text:
            runs.append(Run(clean_text(text), bold=index % 2 == 1))
    return tuple(runs)
