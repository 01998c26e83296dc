"""The background work a transition can call for, as typed names (not free strings).

Pure: each effect names a background task (``sar_service.background.tasks``)
and its argument (for ``letter``, the letter kind). A test resolves every
effect against the task registry and the letter kinds, so a typo fails the
suite rather than a worker.
"""

from __future__ import annotations

from enum import StrEnum


class Effect(StrEnum):
    """``"<task>:<argument>"``; the value is also what the diagram shows."""

    LETTER_IDENTITY_REQUEST = "letter:identity_request"
    LETTER_CLARIFICATION_REQUEST = "letter:clarification_request"
    LETTER_EXTENSION_NOTICE = "letter:extension_notice"
    LETTER_REFUSAL = "letter:refusal"
    GATHER_START = "gather:start"

    @property
    def task(self) -> str:
        return self.value.partition(":")[0]

    @property
    def arg(self) -> str:
        return self.value.partition(":")[2]
