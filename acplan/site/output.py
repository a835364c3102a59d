"""Writing the site: the same content gives byte-identical files; a file is rewritten only when its bytes change;
a file an earlier build wrote and this one does not (a round reopened, an item dropped) is removed; `manifest.json`
lists every file with its SHA-256 and the data version it was built from."""

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from acplan.site.blocks import dumps

MANIFEST = "manifest.json"
GENERATOR = "acplan publish-site"
SUFFIX = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
          "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
          "application/vnd.oasis.opendocument.text": ".odt", "application/vnd.oasis.opendocument.spreadsheet": ".ods",
          "application/vnd.oasis.opendocument.presentation": ".odp"}


def evidence_path(f) -> str:
    """Where a public evidence file lives on the site: by its content's SHA-256, with its type's suffix."""
    return f"evidence/{f.sha256}{SUFFIX.get(f.content_type, '.bin')}"


def thumb_path(f) -> str:
    return f"evidence/thumbs/{f.thumbnail_sha256}.jpg"


@dataclass
class Written:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    total_bytes: int = 0
    files: dict[str, str] = field(default_factory=dict)  # path -> SHA-256


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def previous(out: Path) -> dict:
    """The manifest an earlier build left in `out` ({} when none or unreadable)."""
    try:
        found = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    # another tool's manifest.json names files that are not ours to remove
    return found if isinstance(found, dict) and found.get("generator") == GENERATOR else {}


def write(out: Path, files: dict[str, bytes], *, data_version: str, sources: dict[str, str]) -> Written:
    """Write `files` under `out` (paths relative, "/"-separated), then the manifest; returns what changed."""
    before = previous(out).get("files", {})
    result = Written()
    for path in sorted(files):
        data = files[path]
        digest = sha256(data)
        target = out / path
        result.files[path] = digest
        result.total_bytes += len(data)
        if target.is_file() and before.get(path) == digest and target.stat().st_size == len(data) \
                and sha256(target.read_bytes()) == digest:
            result.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(target)  # a reader of the folder never sees half a file
        result.written += 1
    for path in sorted(set(before) - set(files)):
        stale = out / path
        if stale.is_file() and ".." not in Path(path).parts:
            stale.unlink()
            result.removed += 1
    manifest = {"generator": GENERATOR, "data_version": data_version,
                "files": dict(sorted(result.files.items())), "sources": dict(sorted(sources.items()))}
    (out / MANIFEST).write_bytes(dumps(manifest))
    return result


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def stable_zip(raw: bytes, day: date) -> bytes:
    """An Office file (a zip) with the same bytes for the same content: entries' times fixed and the document's
    created/modified dates set to `day` (openpyxl stamps the moment it saves)."""
    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()
