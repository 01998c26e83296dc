"""The corpus score: at least 95% of the notices (27 files) imported fully right.

The notices (tests/fixtures/notices/corpus) were written for this test from
the DfE model notice's structure, each with the quirks real notices have; the
PDFs and .docx files were made with fpdf2 and python-docx, as schools' tools
make them; two more (tests/fixtures/notices/handwritten) were typed by hand.
``python tests/unit/notice_corpus.py`` prints the same report.
"""

from __future__ import annotations

import pytest

from tests.unit.notice_corpus import expectations, path_of, problems, score


def test_the_corpus_has_at_least_fifteen_notices_in_every_format():
    names = list(expectations())
    notices = {name.rsplit(".", 1)[0] for name in names}
    assert len(notices) >= 15
    assert {name.rsplit(".", 1)[1] for name in names} == {"txt", "docx", "pdf", "html"}
    assert all(path_of(name).exists() for name in names)


def test_corpus_score_is_at_least_95_percent(capsys):
    share, failures = score()
    with capsys.disabled():
        print(f"\nnotice corpus: {share:.0%} of {len(expectations())} files fully right")
        for name, found in failures.items():
            print(f"  {name}: {found}")
    assert share >= 0.95, failures


@pytest.mark.parametrize("name", sorted(expectations()))
def test_each_corpus_notice(name):
    assert problems(name) == []
