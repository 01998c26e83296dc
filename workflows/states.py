"""The case states and the transition table, declared once.

Everything else — the staff buttons, the API's ``allowed_actions``, the
diagram in ``docs/`` — is derived from ``TRANSITIONS``. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from workflows.effects import Effect


class Status(StrEnum):
    RECEIVED = "received"
    AWAITING_IDENTITY = "awaiting_identity"
    AWAITING_CLARIFICATION = "awaiting_clarification"
    IN_PROGRESS = "in_progress"
    REVIEW = "review"
    AWAITING_SIGNOFF = "awaiting_signoff"
    RESPONDED = "responded"
    CLOSED = "closed"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    Status.RECEIVED: "Received",
    Status.AWAITING_IDENTITY: "Waiting for proof of identity",
    Status.AWAITING_CLARIFICATION: "Waiting for clarification (clock paused)",
    Status.IN_PROGRESS: "Gathering records",
    Status.REVIEW: "In review (redaction and exemptions)",
    Status.AWAITING_SIGNOFF: "Waiting for DPO sign-off",
    Status.RESPONDED: "Response sent",
    Status.CLOSED: "Closed",
    Status.REFUSED: "Refused",
    Status.WITHDRAWN: "Withdrawn",
}

#: Plain words for parents on the portal.
PARENT_LABELS = {
    Status.RECEIVED: "We have received your request.",
    Status.AWAITING_IDENTITY: "We need proof of your identity before we can start.",
    Status.AWAITING_CLARIFICATION: "We have asked you a question. The time limit is paused "
    "until you answer.",
    Status.IN_PROGRESS: "We are finding the information.",
    Status.REVIEW: "We are checking the information before we send it.",
    Status.AWAITING_SIGNOFF: "Our Data Protection Officer is checking our reply.",
    Status.RESPONDED: "We have replied.",
    Status.CLOSED: "Your request is complete.",
    Status.REFUSED: "We have written to you to explain why we cannot do what you asked.",
    Status.WITHDRAWN: "You withdrew this request.",
}

#: Work is still to be done on these; the statutory clock is running (or paused).
ACTIVE = frozenset(
    {
        Status.RECEIVED,
        Status.AWAITING_IDENTITY,
        Status.AWAITING_CLARIFICATION,
        Status.IN_PROGRESS,
        Status.REVIEW,
        Status.AWAITING_SIGNOFF,
    }
)
FINISHED = frozenset({Status.CLOSED, Status.REFUSED, Status.WITHDRAWN})

STAFF = frozenset({"dpo", "caseworker"})
DPO = frozenset({"dpo"})
REQUESTER = "requester"  # the parent acting through the portal
SYSTEM = "system"  # jobs and sweeps

#: A target meaning "back to the status the case had before it was paused".
PREVIOUS = "previous"


@dataclass(frozen=True)
class Transition:
    """One row of the table: ``action`` moves a case from any of ``sources`` to ``target``."""

    action: str
    label: str
    sources: frozenset[Status]
    target: Status | str | None  # None: stays where it is; PREVIOUS: see above
    roles: frozenset[str]
    help: str
    needs_reason: bool = False
    clock_event: str | None = None
    guard: str | None = None  # name of a function in workflows.guards
    fields: tuple[str, ...] = ()  # extra inputs, e.g. ("assignee",)
    effects: tuple[Effect, ...] = field(default=())  # background work after commit
    #: Offered only while the case is on the "needs a look" list (a person decides).
    only_needs_look: bool = False

    def __post_init__(self) -> None:
        for effect in self.effects:
            if not isinstance(effect, Effect):
                raise TypeError(f"{self.action}: effect {effect!r} is not a workflows.Effect")

    def target_from(self, current: Status, previous: str | None) -> Status:
        if self.target is None:
            return current
        if self.target == PREVIOUS:
            return Status(previous) if previous else Status.IN_PROGRESS
        return Status(self.target)


def _t(action: str, label: str, sources, target, roles, help: str, **kw) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), help, **kw)


_PAUSABLE = {Status.RECEIVED, Status.AWAITING_IDENTITY, Status.IN_PROGRESS, Status.REVIEW}
_IDENTITY_PENDING = {Status.RECEIVED, Status.AWAITING_IDENTITY}

TRANSITIONS: tuple[Transition, ...] = (
    _t(
        "request_identity",
        "Ask for proof of identity",
        {Status.RECEIVED, Status.IN_PROGRESS},
        Status.AWAITING_IDENTITY,
        STAFF,
        "Ask at the start if you cannot be sure who is asking: the time limit starts again "
        "when the ID arrives. Not possible once the time limit has ended; late in it, say why.",
        clock_event="identity_requested",
        guard="identity_in_time",
        effects=(Effect.LETTER_IDENTITY_REQUEST,),
    ),
    _t(
        "verify_identity",
        "Identity confirmed",
        _IDENTITY_PENDING,
        Status.IN_PROGRESS,
        STAFF,
        "The date is the day the ID arrived: the clock restarts that day if it was asked for "
        "in time. Also record the day it was checked.",
        clock_event="identity_verified",
        fields=("checked_on",),
        effects=(Effect.GATHER_START,),
    ),
    _t(
        "confirm_authority",
        "Authority to act confirmed",
        ACTIVE - {Status.AWAITING_SIGNOFF},
        None,
        STAFF,
        "E.g. a competent child's authorisation. The clock starts that day if later.",
        needs_reason=True,
        clock_event="authority_confirmed",
    ),
    _t(
        "record_fee",
        "Fee received",
        ACTIVE - {Status.AWAITING_SIGNOFF},
        None,
        STAFF,
        "Only for manifestly unfounded or excessive requests, or further copies.",
        needs_reason=True,
        clock_event="fee_received",
    ),
    _t(
        "request_clarification",
        "Ask what is wanted (pause)",
        _PAUSABLE,
        Status.AWAITING_CLARIFICATION,
        STAFF,
        "Only to identify what an access request is for, not its format. Pauses the access "
        "clock (Art 12A); other rights' clocks run on.",
        needs_reason=True,
        clock_event="clarification_requested",
        effects=(Effect.LETTER_CLARIFICATION_REQUEST,),
    ),
    _t(
        "clarification_received",
        "Clarification received",
        {Status.AWAITING_CLARIFICATION},
        PREVIOUS,
        STAFF | {REQUESTER},
        "The pause ends on the day the answer arrives (that day is still paused).",
        clock_event="clarification_received",
    ),
    _t(
        "clarification_lapsed",
        "Close: clarification not answered",
        {Status.AWAITING_CLARIFICATION},
        Status.CLOSED,
        STAFF,
        "The requester did not answer within the period you set: the pause ends on this day "
        "and the request is closed. Write to tell them they can ask again.",
        needs_reason=True,
        clock_event="clarification_lapsed",
    ),
    _t(
        "extend",
        "Extend by two months",
        ACTIVE,
        None,
        STAFF,
        "Complex or numerous requests. Tell the requester with reasons within the first month. "
        "Dated in the past: say how and when they were told (no letter is written today).",
        needs_reason=True,
        clock_event="extended",
        guard="can_extend",
        fields=("notice_via", "notice_on", "notice_detail"),
        effects=(Effect.LETTER_EXTENSION_NOTICE,),
    ),
    _t(
        "record_results_day",
        "Exam marks: record results day",
        ACTIVE - {Status.AWAITING_SIGNOFF},
        None,
        STAFF,
        "Only for exam marks asked for before the results were announced. The date is the "
        "day the results are (or will be) announced: the reply is due by the earlier of 5 "
        "months from the clock start and 40 days from that day.",
        clock_event="results_announced",
    ),
    _t(
        "assign",
        "Assign",
        ACTIVE | {Status.RESPONDED},
        None,
        STAFF,
        "Give the case to a member of staff.",
        fields=("assignee",),
    ),
    _t(
        "record_competence",
        "Record competence decision",
        ACTIVE,
        None,
        STAFF,
        "For pupils aged 12 or over: who decided, when, why, and whether the child was asked.",
        needs_reason=True,
        fields=("competent", "child_consulted", "child_consented"),
    ),
    _t(
        "start_review",
        "Start review",
        {Status.IN_PROGRESS},
        Status.REVIEW,
        STAFF,
        "Records gathered; check redactions and exemptions.",
    ),
    _t(
        "return_to_gathering",
        "Back to gathering",
        {Status.REVIEW},
        Status.IN_PROGRESS,
        STAFF,
        "More records are needed.",
    ),
    _t(
        "submit_for_signoff",
        "Send to DPO for sign-off",
        {Status.REVIEW},
        Status.AWAITING_SIGNOFF,
        STAFF,
        "The response is ready for the Data Protection Officer.",
    ),
    _t(
        "send_back",
        "Send back to review",
        {Status.AWAITING_SIGNOFF},
        Status.REVIEW,
        DPO,
        "The DPO wants changes before the response goes out.",
        needs_reason=True,
    ),
    _t(
        "record_delivery",
        "Documents delivered another way",
        {Status.AWAITING_SIGNOFF, Status.RESPONDED},
        None,
        DPO,
        "The documents went by post, in person or by secure email rather than through the "
        "portal. The date is the day they were posted, handed over or sent.",
        fields=("delivered_via", "delivery_note"),
    ),
    _t(
        "respond",
        "Sign off and record response sent",
        {Status.AWAITING_SIGNOFF},
        Status.RESPONDED,
        DPO,
        "The DPO approves; the date is when the response was sent. Only once the response "
        "letter was sent and (access and educational records) the documents were released or "
        "delivered another way.",
        guard="response_delivered",
    ),
    _t(
        "close",
        "Close",
        {Status.RESPONDED},
        Status.CLOSED,
        STAFF,
        "Nothing more to do. The file is kept for the school's retention period.",
    ),
    _t(
        "refuse",
        "Refuse",
        ACTIVE,
        Status.REFUSED,
        DPO,
        "Manifestly unfounded or excessive, or an exemption applies. Reasons are required; "
        "the letter tells them about the ICO and the courts.",
        needs_reason=True,
        effects=(Effect.LETTER_REFUSAL,),
    ),
    _t(
        "withdraw",
        "Withdrawn by requester",
        ACTIVE,
        Status.WITHDRAWN,
        STAFF | {REQUESTER},
        "The requester no longer wants us to act.",
    ),
    _t(
        "look_genuine",
        "Needs a look: genuine request",
        ACTIVE,
        None,
        STAFF,
        "You have looked and it is a real request: it leaves the list, and reminders resume "
        "(the plan catches up). The time limit always ran from the day it was received.",
        needs_reason=True,
        only_needs_look=True,
    ),
    _t(
        "not_a_request",
        "Close: not a real request",
        ACTIVE,
        Status.CLOSED,
        STAFF,
        "Spam, a test, or a request nobody made. Closed with your reason as a recorded "
        "decision; nothing more is sent to the address given.",
        needs_reason=True,
        only_needs_look=True,
    ),
    _t(
        "reopen",
        "Reopen",
        FINISHED | {Status.RESPONDED},
        Status.IN_PROGRESS,
        DPO,
        "E.g. after a complaint or an ICO decision.",
        needs_reason=True,
    ),
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def transitions_from(status: Status) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources]


def guard_names() -> set[str]:
    return {t.guard for t in TRANSITIONS if t.guard}


GuardFn = Callable[..., str | None]


def status_label(status: str) -> str:
    """A status as staff read it ("Waiting for proof of identity"); an unknown one as given."""
    try:
        return STATUS_LABELS[Status(status)]
    except ValueError:
        return status
