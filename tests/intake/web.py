"""Driving the no-JavaScript journey with Flask's test client, as a browser would."""

from __future__ import annotations

import re

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def errors(html: str) -> list[str]:
    """The messages shown beside fields."""
    found = re.findall(r'class="error-message">.*?</span>\s*(.*?)</p>', html, re.S)
    return [" ".join(e.split()) for e in found]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class Journey:
    """One parent's browser session for one school."""

    def __init__(self, client, slug: str = "oakfield", environ: dict | None = None):
        self.client, self.slug = client, slug
        self.environ = environ or {}

    def url(self, path: str) -> str:
        return f"/s/{self.slug}/{path}"

    def get(self, path: str):
        return self.client.get(self.url(path), environ_base=self.environ)

    def start(self):
        page = self.get("")
        return self.client.post(
            self.url("start"), data={"csrf_token": csrf(page.text)}, environ_base=self.environ
        )

    def answer(self, step: str, data: dict, action: str = "continue", **kw):
        page = self.get(f"q/{step}")
        assert page.status_code == 200, (step, page.status_code, page.location)
        payload = {"csrf_token": csrf(page.text), "action": action} | data
        return self.client.post(
            self.url(f"q/{step}"), data=payload, environ_base=self.environ, **kw
        )

    def submit(self):
        page = self.get("check")
        assert page.status_code == 200, page.location
        return self.client.post(
            self.url("check"), data={"csrf_token": csrf(page.text)}, environ_base=self.environ
        )


DOB = {
    "subject.date_of_birth-day": "4",
    "subject.date_of_birth-month": "5",
    "subject.date_of_birth-year": "2015",
}


def answer_common(j: Journey, story: str, types: list[str], email: str = "sarah@example.com"):
    """Everything up to the per-type details, for a mother asking about Amelia."""
    started = j.start()
    assert started.status_code == 302, (started.status_code, started.text[:500])
    assert j.answer("what", {"story": story}).status_code == 302
    assert j.answer("types", {"types": types}).status_code == 302
    assert j.answer("relationship", {"requester.relationship": "mother"}).status_code == 302
    assert j.answer("child", {"subject.name": "Amelia Hart", "subject.year_group": "Year 6"})
    assert j.answer("dob", DOB).status_code == 302
    assert j.answer("your-name", {"requester.name": "Sarah Hart"}).status_code == 302
    r = j.answer("contact", {"requester.email": email, "requester.phone": "07700 900982"})
    assert r.status_code == 302, errors(r.text)
