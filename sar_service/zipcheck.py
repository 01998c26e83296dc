"""Refuse zip bombs from the zip's central directory, before anything is unpacked.

A .docx is a zip. A 40 KB one that unpacks to 13.6 MB of XML took 19.6 s and 467 MB
to open in the web process (issue 12). The central directory declares each entry's
packed and unpacked size, and Python's ``zipfile`` never unpacks an entry past its
declared size, so checking the declarations bounds the work of any later reader.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

#: Far above any real letter or report (a 300-page .docx is a few MB of XML).
MAX_UNPACKED = 64 * 1024 * 1024
MAX_ENTRIES = 2000
#: Word's XML packs about 10 to 1; a bomb packs hundreds or thousands to 1.
MAX_RATIO = 100
#: Entries smaller than this are never a problem, however well they pack.
SMALL = 1024 * 1024


def bomb_reason(data: bytes) -> str | None:
    """Why this zip must not be opened (plain words), or None. Not-a-zip is not our call."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if len(infos) > MAX_ENTRIES:
        return f"it holds {len(infos)} parts; the limit is {MAX_ENTRIES}"
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED:
        return f"it would unpack to more than {MAX_UNPACKED // 2**20}MB"
    for info in infos:
        if info.file_size > SMALL and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return f"it is compressed more than {MAX_RATIO} to 1, as a zip bomb is"
    return None
