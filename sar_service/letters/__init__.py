"""Letters as real ``.docx`` files on the school's letterhead.

The rendering core is pure (no database, no Flask): the application fills a
:class:`~sar_service.letters.context.LetterContext` and calls
:func:`~sar_service.letters.render.render_letter`; staff edits to the
wording are checked with :func:`~sar_service.letters.render.validate_template`
when they are saved, so a broken template is caught then and never at send
time.

Rendering modules:

- ``context``    the frozen dataclasses a letter is rendered from;
- ``kinds``      the thirteen letter kinds and the legal content each must carry;
- ``templating`` the sandboxed Jinja environment, filters and the tiny markup;
- ``samples``    realistic demo contexts (validation, docs, benchmarks);
- ``docx_writer`` the python-docx writer (lean base document, named styles);
- ``render``     the public entry points: render, read back, validate.

Wiring into the service:

- ``build``      a case row (+ school, notice, audit trail) -> LetterContext;
- ``service``    generate and store a versioned letter; the school's templates;
- ``jobs``       the outbox handler for letters the workflow calls for;
- ``inputs``     checks on what staff add (outcome, reasons, withheld, told);
- ``api``        the JSON API routes; ``views`` + ``pages`` the staff pages.

The default wording lives in ``sar_service/templates/letters/<kind>.txt`` (package
data, so an installed wheel has it).
"""


def init_app(app) -> None:
    """Register the staff letter pages and the case page's letters panel."""
    from sar_service.db import session

    from . import pages
    from .views import bp

    def letters_panel(case, role):
        return pages.panel(session(), case, role)

    app.add_template_global(letters_panel, "letters_panel")
    app.register_blueprint(bp)
