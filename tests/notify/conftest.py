"""Notification tests use the shared loopback SMTP ``inbox`` fixture in tests/conftest.py."""
