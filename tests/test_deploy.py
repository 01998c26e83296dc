"""The deployment files agree: systemd units run the Procfile's commands (which
``make prod-check`` runs for real), from the installed package, with restarts."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNITS = ROOT / "deploy" / "systemd"
VENV_BIN = "/opt/sar/venv/bin/"


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return {n.strip(): c.strip() for n, _, c in (line.partition(":") for line in lines) if c}


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name)
    return parser


def exec_start(name: str) -> list[str]:
    argv = shlex.split(unit(name)["Service"]["ExecStart"])
    assert argv[0].startswith(VENV_BIN), argv
    return [argv[0].removeprefix(VENV_BIN), *argv[1:]]


@pytest.mark.parametrize(
    ("unit_name", "process"),
    [("sar-web.service", "web"), ("sar-worker@.service", "worker"), ("sar-cron.service", "cron")],
)
def test_each_unit_runs_the_procfile_command_and_restarts(unit_name, process):
    assert exec_start(unit_name) == shlex.split(procfile()[process])
    assert unit(unit_name)["Service"]["Restart"] == "always"


def test_the_web_unit_migrates_before_starting():
    pre = shlex.split(unit("sar-web.service")["Service"]["ExecStartPre"])
    assert [pre[0].removeprefix(VENV_BIN), *pre[1:]] == shlex.split(procfile()["release"])


def test_the_target_starts_web_two_workers_and_one_cron():
    wants = set(unit("sar.target")["Unit"]["Wants"].split())
    assert wants == {
        "sar-web.service",
        "sar-worker@1.service",
        "sar-worker@2.service",
        "sar-cron.service",
    }


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(tmp_path):
    for path in UNITS.iterdir():
        copy = tmp_path / path.name
        copy.write_text(path.read_text())
        result = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", str(copy)],
            capture_output=True,
            text=True,
        )
        problems = [
            line
            for line in result.stderr.splitlines()
            if line.strip() and "is not executable" not in line and "not found" not in line
        ]
        assert not problems, f"{path.name}: {problems}"
