"""Settings from the environment: the defaults a local run relies on."""

from __future__ import annotations

from sar_service.config import Settings


def test_base_url_follows_port_when_unset(tmp_path):
    settings = Settings.from_env({"SAR_INSTANCE_DIR": str(tmp_path), "PORT": "8000"})
    assert settings.base_url == "http://127.0.0.1:8000"


def test_base_url_defaults_to_port_5000(tmp_path):
    assert Settings.from_env({"SAR_INSTANCE_DIR": str(tmp_path)}).base_url == (
        "http://127.0.0.1:5000"
    )


def test_an_explicit_base_url_wins_over_port(tmp_path):
    env = {"SAR_INSTANCE_DIR": str(tmp_path), "PORT": "8000", "BASE_URL": "https://sar.example/"}
    assert Settings.from_env(env).base_url == "https://sar.example"
