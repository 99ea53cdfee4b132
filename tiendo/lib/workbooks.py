"""Opening an uploaded .xlsx safely: what its zip directory says before anything is unpacked."""

from __future__ import annotations

import io
import zipfile


def zip_contents(data: bytes) -> tuple[int, int] | None:
    """The number of entries and the total unpacked size an .xlsx (a zip) declares, or
    ``None`` when the bytes are not a zip at all. zipfile stops reading an entry at
    its declared size, so the declared total bounds what opening the workbook
    unpacks: a zip bomb is refused from these figures alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None
    return len(infos), sum(info.file_size for info in infos)
