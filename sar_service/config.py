"""Settings read from the environment once, in ``create_app``.

With nothing set, everything works locally: an SQLite file and the bundled
``redis-server`` in the instance folder, mail written to ``.eml`` files.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sar_service.auth.passwords import check_profile
from sar_service.private_files import make_dir, write_private


def _instance_dir(env: dict[str, str]) -> Path:
    return Path(env.get("SAR_INSTANCE_DIR") or "instance").resolve()


def _secret_key(instance: Path, env: dict[str, str]) -> str:
    """Use SECRET_KEY, or generate one once into the instance folder."""
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    make_dir(instance)
    key = secrets.token_urlsafe(48)
    write_private(path, key)
    return key


#: Where ``sar serve`` listens when ``PORT`` is unset.
DEFAULT_PORT = 5000


def _base_url(env: dict[str, str]) -> str:
    """``BASE_URL``, else the local address the app listens on, so links follow ``PORT``."""
    explicit = env.get("BASE_URL")
    if explicit:
        return explicit.rstrip("/")
    return f"http://127.0.0.1:{env.get('PORT') or DEFAULT_PORT}"


def _seconds(env: dict[str, str], name: str, default: float) -> float:
    """A positive number of seconds from ``name``, or a clear error naming the variable."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be more than 0 seconds, not {raw!r}")
    return value


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Settings:
    """Everything the app needs to know about its surroundings."""

    instance_dir: Path
    database_url: str
    redis_url: str | None
    secret_key: str
    storage_dir: Path
    base_url: str
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "sar-service@localhost"
    outbox_dir: Path = field(default_factory=lambda: Path("instance/outbox"))
    storage_key: str | None = None
    testing: bool = False
    #: Argon2 cost profile (``sar_service.auth.passwords.PROFILES``); tests use "fast".
    password_hash: str = "default"
    #: How many reverse proxies in front of the app set ``X-Forwarded-For``/``-Proto``.
    trusted_proxies: int = 0
    #: Seconds to wait for a database connection before giving up (PostgreSQL).
    database_connect_timeout: float = 3.0
    #: Seconds one statement may run or wait for a lock: PostgreSQL's statement_timeout,
    #: SQLite's busy timeout. Below gunicorn's 30 s, so a slow database is a 503, not a kill.
    database_timeout: float = 10.0
    #: The same for workers, cron and the command line, whose work may take longer.
    database_job_timeout: float = 300.0
    #: Days after which a public request never confirmed by its requester needs a look.
    unconfirmed_look_days: int = 7

    @property
    def embedded_redis(self) -> bool:
        """True when we run the bundled redis-server ourselves."""
        return self.redis_url is None

    @property
    def redis_socket(self) -> Path:
        return self.instance_dir / "redis.sock"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        instance = _instance_dir(env)
        storage = Path(env.get("STORAGE_DIR") or instance / "documents").resolve()
        return cls(
            instance_dir=instance,
            database_url=env.get("DATABASE_URL") or f"sqlite:///{instance / 'sar.sqlite3'}",
            redis_url=env.get("REDIS_URL") or None,
            secret_key=_secret_key(instance, env),
            storage_dir=storage,
            base_url=_base_url(env),
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=int(env.get("SMTP_PORT") or 25),
            smtp_username=env.get("SMTP_USERNAME") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_starttls=_flag(env.get("SMTP_STARTTLS")),
            mail_from=env.get("MAIL_FROM") or "sar-service@localhost",
            outbox_dir=instance / "outbox",
            storage_key=env.get("STORAGE_KEY") or None,
            password_hash=check_profile(env.get("SAR_PASSWORD_HASH") or "default"),
            trusted_proxies=int(env.get("TRUSTED_PROXIES") or 0),
            database_connect_timeout=_seconds(env, "DATABASE_CONNECT_TIMEOUT", 3.0),
            database_timeout=_seconds(env, "DATABASE_STATEMENT_TIMEOUT", 10.0),
            database_job_timeout=_seconds(env, "DATABASE_JOB_STATEMENT_TIMEOUT", 300.0),
            unconfirmed_look_days=int(env.get("UNCONFIRMED_LOOK_DAYS") or 7),
        )

    def for_background(self) -> Settings:
        """These settings for a worker, cron or command: the longer statement timeout."""
        return dataclasses.replace(self, database_timeout=self.database_job_timeout)
