"""Benchmark: build a disclosure bundle of 1,000 documents (~200 MB) with flat memory.

Half the documents are text (about 200 KB of words each, as emails and notes
are), half are JPEG-like binary files (200 KB of random bytes, incompressible)
that were redacted by hand. The set-up runs in this process; the build runs in
a fresh process (the bundle job exactly as the worker runs it), which reports
its own peak memory (``ru_maxrss``). Target: peak RSS <= 150 MB.

    .venv/bin/python bench/bundle.py [N_DOCUMENTS] [KB_EACH]
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TARGET_MB = 150
_VOCABULARY = (
    "pupil lesson reading maths science playground lunch parent meeting report target progress "
    "homework behaviour attendance support group teacher assessment phonics writing spelling "
    "sports trip assembly class year term week good better concern"
)
WORDS = _VOCABULARY.split()


def _settings(instance: Path):
    from sar_service.config import Settings

    return Settings.from_env(
        {
            "SAR_INSTANCE_DIR": str(instance),
            "SECRET_KEY": "bench",
            "REDIS_URL": "redis://127.0.0.1:1/0",  # no Redis: the build is run directly
        }
    )


def _text(size: int, rng: random.Random) -> bytes:
    words = rng.choices(WORDS, k=size // 6)
    return " ".join(words).encode()[:size]


def _add(db, case, data: bytes, name: str, file_kind: str, content_type: str, **kw):
    from sar_service.models import Document
    from sar_service.models.inventory import GatheredDocument
    from sar_service.storage import storage

    stored = storage().put(data)
    doc = Document(
        case_id=case.id, filename=name, content_type=content_type, size=stored.size,
        sha256=stored.sha256, storage_key=stored.key, kind=kw.pop("kind", "upload"), **kw,
    )  # fmt: skip
    db.add(doc)
    db.flush()
    if doc.kind == "upload":
        db.add(
            GatheredDocument(
                document_id=doc.id, case_id=case.id, source_name="Bench", file_kind=file_kind
            )
        )
    return doc


def setup(instance: Path, count: int, size: int) -> int:
    """A school, a case and ``count`` reviewed documents; returns the bundle's outbox row id."""
    from sar_service import setup as sar_setup
    from sar_service.app import create_app
    from sar_service.cases.machine import Actor
    from sar_service.cases.service import create_case
    from sar_service.cases.validation import validate_request
    from sar_service.db import Base, session
    from sar_service.models import OutboxJob
    from sar_service.records import bundle

    app = create_app(settings=_settings(instance))
    Base.metadata.create_all(app.extensions["sar.db"].engine)
    rng = random.Random(6)
    with app.app_context():
        db = session()
        school = sar_setup.create_school(db, "bench", "Bench School")
        payload = {
            "types": ["access"],
            "requester": {
                "name": "Sarah Hart",
                "email": "s.hart@example.com",
                "relationship": "mother",
            },
            "subject": {"name": "Amelia Hart", "date_of_birth": "2015-05-04"},
            "received_on": date.today().isoformat(),
            "channel": "email",
        }
        result = validate_request(payload, school_kind="maintained", today=date.today(), staff=True)
        case = create_case(db, school, result.data, Actor.system("bench"))
        for i in range(count):
            if i % 2:
                original = _add(db, case, os.urandom(size), f"photo-{i}.jpg", "jpeg", "image/jpeg")
                _add(db, case, os.urandom(size), f"photo-{i} redacted.jpg", "jpeg", "image/jpeg",
                     kind="redacted", source_id=original.id, note="bench")  # fmt: skip
            else:
                _add(db, case, _text(size, rng), f"note-{i}.txt", "txt", "text/plain")
            if i % 100 == 99:
                db.commit()
        db.commit()
        bundle.request(db, case, "bench")
        db.commit()
        return db.query(OutboxJob).filter(OutboxJob.task == "bundle").one().id


def build(instance: Path, outbox_id: int) -> dict:
    """Run in a fresh process: the job as the worker would run it."""
    from sar_service.app import create_app
    from sar_service.background import outbox
    from sar_service.db import session
    from sar_service.models import Document
    from sar_service.models.review import Bundle

    app = create_app(settings=_settings(instance))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with app.app_context():
        db = session()
        started = time.perf_counter()
        result = outbox.run(db, outbox_id)
        seconds = time.perf_counter() - started
        row = db.query(Bundle).one()
        doc = db.get(Document, row.document_id) if row.document_id else None
    return {
        "result": result,
        "status": row.status,
        "error": row.error,
        "seconds": seconds,
        "zip_mb": doc.size / 2**20 if doc else 0,
        "rss_before_mb": before,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    if sys.argv[1:2] == ["--build"]:
        print(json.dumps(build(Path(sys.argv[2]), int(sys.argv[3]))))
        return 0
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    size = int(sys.argv[2]) * 1024 if len(sys.argv) > 2 else 200 * 1024
    with tempfile.TemporaryDirectory(prefix="sar-bench-") as tmp:
        instance = Path(tmp)
        started = time.perf_counter()
        outbox_id = setup(instance, count, size)
        print(f"set-up: {count} documents, {count * size / 2**20:.0f} MB "
              f"in {time.perf_counter() - started:.1f}s")  # fmt: skip
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
        out = subprocess.run(
            [sys.executable, __file__, "--build", str(instance), str(outbox_id)],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        figures = json.loads(out.stdout.strip().splitlines()[-1])
    ok = figures["status"] == "ready" and figures["peak_rss_mb"] <= TARGET_MB
    print(
        f"bundle: {figures['status']} {figures['zip_mb']:.0f} MB zip in {figures['seconds']:.1f}s; "
        f"peak RSS {figures['peak_rss_mb']:.0f} MB "
        f"(after start-up {figures['rss_before_mb']:.0f} MB, target <= {TARGET_MB} MB) "
        f"-> {'OK' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
