"""Issue 12 item 14: "Template DoS: 'a'*10000*1000, ljust(10**7), nested range loops pass the
sandbox and run on every real letter." Each is refused when saved and fails with a clear
error (never a hung worker) when a letter is rendered."""

from __future__ import annotations

import io

import docx
import pytest
from jinja2.exceptions import SecurityError

from sar_service.letters.render import render_letter, validate_template
from sar_service.letters.samples import sample_context

PAYLOADS = {
    "repetition": "{{ 'a'*10000*1000 }}",
    "padding": "{{ 'a'.ljust(10**7) }}",
    "padding filter": "{{ 'a'|center(10**7) }}",
    "format width": "{{ '%9999999s'|format('a') }}",
    "nested ranges": "{% for i in range(10000) %}{% for j in range(10000) %}"
    "{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}",
    "nested loops over text": "{% for i in 'x'*10000 %}{% for j in 'x'*10000 %}"
    "{% endfor %}{% endfor %}",
    "long output": "{% for i in range(10000) %}{{ 'word ' * 20 }}{% endfor %}",
}


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_costly_template_is_refused_on_save(name):
    errors = validate_template("refusal", "Dear {{ requester_name }},\n\n" + PAYLOADS[name])
    assert errors, name
    assert "not allowed" in errors[0].lower(), errors


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_costly_template_fails_cleanly_when_a_letter_is_rendered(name):
    with pytest.raises(SecurityError):
        render_letter(sample_context("refusal"), "Dear parent,\n\n" + PAYLOADS[name])


def test_ordinary_loops_and_padding_still_work():
    text = "{% for i in range(3) %}- item {{ i }}\n{% endfor %}{{ 'ok'.ljust(4) }}|"
    data = render_letter(sample_context("refusal"), "Dear parent,\n\n" + text)
    words = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "item 2" in words and "ok  |" in words
