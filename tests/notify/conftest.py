"""Notification fixtures: a loopback SMTP server the app sends to, and a school with staff."""

from __future__ import annotations

import dataclasses

import pytest

from tests.notify.smtp import Inbox, start


@pytest.fixture
def inbox(app):
    """Point the app's mail at a real SMTP server on 127.0.0.1 for this test."""
    box = Inbox()
    controller = start(box)
    original = app.config["SAR_SETTINGS"]
    app.config["SAR_SETTINGS"] = dataclasses.replace(
        original, smtp_host=controller.hostname, smtp_port=controller.port
    )
    try:
        yield box
    finally:
        app.config["SAR_SETTINGS"] = original
        if box.hold is not None:
            box.hold.set()
        controller.stop()
