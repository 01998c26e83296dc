"""Letters as real ``.docx`` files on the school's letterhead.

Pure rendering: no database and no Flask. The rest of the application fills a
:class:`~sar_service.letters.context.LetterContext` from its models and calls
:func:`~sar_service.letters.render.render_letter`; staff edits to the wording
are checked with :func:`~sar_service.letters.render.validate_template` when
they are saved, so a broken template is caught then and never at send time.

Modules:

- ``context``    the frozen dataclasses a letter is rendered from;
- ``kinds``      the thirteen letter kinds and the legal content each must carry;
- ``templating`` the sandboxed Jinja environment, filters and the tiny markup;
- ``samples``    realistic demo contexts (validation, docs, benchmarks);
- ``docx_writer`` the python-docx writer (lean base document, named styles);
- ``render``     the public entry points: render, read back, validate.

The default wording lives in ``templates/letters/<kind>.txt`` at the top of
the repository.
"""
