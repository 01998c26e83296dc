"""Password hashing cost comes from the settings; production keeps argon2's default cost."""

from __future__ import annotations

import flask
import pytest

from sar_service.auth.passwords import hash_password, verify_password
from sar_service.config import Settings


def _settings(tmp_path, **env) -> Settings:
    return Settings.from_env({"SAR_INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x", **env})


def _app(settings: Settings) -> flask.Flask:
    app = flask.Flask(__name__)
    app.config["SAR_SETTINGS"] = settings
    return app


def test_production_hashes_at_argon2_default_cost(tmp_path):
    settings = _settings(tmp_path)
    assert settings.password_hash == "default"
    with _app(settings).app_context():
        stored = hash_password("correct horse battery staple")
        assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert verify_password(stored, "correct horse battery staple")
        assert not verify_password(stored, "correct horse battery stapler")


def test_fast_profile_is_cheap_and_still_verifies_production_hashes(tmp_path):
    settings = _settings(tmp_path, SAR_PASSWORD_HASH="fast")
    with _app(settings).app_context():
        stored = hash_password("pw one")
        assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")
        assert verify_password(stored, "pw one") and not verify_password(stored, "pw two")
    with _app(_settings(tmp_path)).app_context():
        assert verify_password(stored, "pw one")  # the cost is read from the stored hash


def test_unknown_profile_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="SAR_PASSWORD_HASH must be one of default, fast"):
        _settings(tmp_path, SAR_PASSWORD_HASH="quick")


def test_an_unknown_account_costs_the_same_argon2_work(monkeypatch):
    """Quoted finding: sign-in answered faster for an unknown email. With no stored hash the
    check still runs argon2 over a stand-in hash (at the same cost), and never matches."""
    from argon2 import PasswordHasher

    from sar_service.auth import passwords

    checked = []
    real = PasswordHasher.verify
    monkeypatch.setattr(
        PasswordHasher, "verify", lambda self, h, p: checked.append(h) or real(self, h, p)
    )
    assert passwords.verify_password(None, "anything") is False
    assert passwords.verify_password("", "") is False
    assert len(checked) == 2 and all(h.startswith("$argon2") for h in checked)
