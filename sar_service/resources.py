"""Where the files shipped inside the package live, so an installed wheel finds them.

Templates (pages, emails, letter wording) and the Alembic migrations are package
data: nothing is looked up relative to the checkout or the working directory.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
LETTER_TEMPLATES_DIR = TEMPLATES_DIR / "letters"
EMAIL_TEMPLATES_DIR = TEMPLATES_DIR / "email"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
