"""Screenshots of the start page and the conversation in every parent language (390-px phone).

    .venv/bin/python docs/screenshots/make_i18n.py

Same approach as ``make.py`` (real app, throw-away SQLite, Debian's Chromium):
for each language the browser asks for it with ``Accept-Language``, the parent
starts, asks a question about the privacy notice in their language, then says
what they want. PNGs go to ``docs/screenshots/i18n/<code>-start.png`` and
``<code>-conversation.png``.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "i18n"
PHONE = {"width": 390, "height": 844}

#: language -> (a question about the notice, what they want), as a parent would type them
WORDS = {
    "pl": ("Komu przekazujecie dane?", "Chcę zobaczyć wszystkie dane mojej córki"),
    "ur": ("آپ ڈیٹا کس کے ساتھ شیئر کرتے ہیں؟", "مجھے اپنی بیٹی کا ڈیٹا دیکھنا ہے"),
    "ro": ("Cu cine împărțiți datele?", "Vreau să văd datele fiicei mele"),
    "ar": ("مع من تشاركون البيانات؟", "أريد أن أرى كل المعلومات عن ابنتي"),
    "bn": ("আপনারা কার সাথে তথ্য শেয়ার করেন?", "আমার মেয়ের তথ্য দেখতে চাই"),
    "pa": ("ਤੁਸੀਂ ਡਾਟਾ ਕਿਸ ਨਾਲ ਸਾਂਝਾ ਕਰਦੇ ਹੋ?", "ਮੈਂ ਆਪਣੀ ਧੀ ਦਾ ਡਾਟਾ ਦੇਖਣਾ ਹੈ"),
    "pt": ("Com quem partilham os dados?", "Quero ver os dados da minha filha"),
    "es": ("¿Con quién comparten los datos?", "Quiero ver los datos de mi hija"),
}


def _make_module():
    spec = importlib.util.spec_from_file_location("make", HERE / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shoot(browser, base: str, code: str) -> None:
    question, wish = WORDS[code]
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale=code)
    page = context.new_page()
    page.goto(f"{base}/s/oakfield/")
    page.screenshot(path=OUT / f"{code}-start.png", full_page=True)
    page.locator("button.button-start").click()
    page.wait_for_selector('[data-step="what"]')
    page.locator("#story").fill(question)
    page.locator("[data-continue]").click()
    page.wait_for_selector(".answer-panel")
    page.locator("#story").fill(wish)
    page.locator("[data-continue]").click()
    page.wait_for_selector("[data-understood]")
    page.screenshot(path=OUT / f"{code}-conversation.png", full_page=True)
    context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(HERE.parents[1]))
    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    make = _make_module()
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = make.serve(make.build_app(Path(tmp)))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for code in WORDS:
                shoot(browser, base, code)
            browser.close()
    print("\n".join(sorted(p.name for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
