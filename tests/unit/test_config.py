"""Settings from the environment: the defaults a local run relies on."""

from __future__ import annotations

import pytest

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


def test_database_timeouts_come_from_the_environment(tmp_path):
    env = {
        "SAR_INSTANCE_DIR": str(tmp_path),
        "DATABASE_CONNECT_TIMEOUT": "4",
        "DATABASE_STATEMENT_TIMEOUT": "7.5",
        "DATABASE_JOB_STATEMENT_TIMEOUT": "600",
    }
    settings = Settings.from_env(env)
    assert (settings.database_connect_timeout, settings.database_timeout) == (4.0, 7.5)
    assert settings.for_background().database_timeout == 600.0


@pytest.mark.parametrize("value", ["soon", "0", "-3"])
def test_a_bad_timeout_is_refused_with_its_name(tmp_path, value):
    with pytest.raises(ValueError, match="DATABASE_STATEMENT_TIMEOUT"):
        Settings.from_env({"SAR_INSTANCE_DIR": str(tmp_path), "DATABASE_STATEMENT_TIMEOUT": value})
