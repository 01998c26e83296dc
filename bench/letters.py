"""Benchmark: how many access-response letters per second on one core.

Renders the sample access response N times (template compiled once and
cached, letterhead, header, footer, full docx) and, for comparison, writes
the same paragraph texts as a bare python-docx document (``Document()``,
``add_paragraph`` per line, ``save``: no template, no letterhead, no styles).
Prints both rates and the ratio. Target: at least 30 letters/s.

    .venv/bin/python bench/letters.py [N]
"""

from __future__ import annotations

import io
import os
import sys
import time

from docx import Document

from sar_service.letters.render import letter_text, render_letter, sample_context

TARGET = 30.0


def _pin_to_one_core() -> None:
    """Measure one core, as a single worker process would run."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _rate(function, n: int) -> float:
    function()  # warm up: compile the template, build the base document
    start = time.perf_counter()
    for _ in range(n):
        function()
    return n / (time.perf_counter() - start)


def main(n: int = 300) -> int:
    _pin_to_one_core()
    ctx = sample_context("access_response")
    paragraphs = letter_text(render_letter(ctx)).splitlines()

    def letter() -> bytes:
        return render_letter(ctx)

    def bare() -> bytes:
        document = Document()
        for text in paragraphs:
            document.add_paragraph(text)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    ours, baseline = _rate(letter, n), _rate(bare, n)
    print(f"access_response letters: {n} in one process, {len(paragraphs)} paragraphs each")
    print(f"  rendered letters (template + letterhead): {ours:7.1f} letters/s")
    print(f"  bare python-docx, same paragraphs:        {baseline:7.1f} documents/s")
    print(f"  ratio (rendered / bare):                  {ours / baseline:7.2f}")
    print(f"  target >= {TARGET:.0f} letters/s: {'met' if ours >= TARGET else 'NOT met'}")
    return 0 if ours >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
