"""Evidence files: what is accepted (judged by content, never by name), how photos are cleaned, where bytes live.

Accepted: photos (JPEG, PNG, WebP, and HEIC/HEIF as phones take them), PDF, and Word/Excel/OpenDocument files. A photo is decoded whole by Pillow and
saved again without its metadata (location, camera, dates) but upright as it was taken; a thumbnail is made from
it. A HEIC/HEIF photo (read through pillow-heif) is kept as JPEG, which every committee member's computer opens. A PDF is read whole and refused if it carries JavaScript, launch actions or embedded files. An office file
must be the zip its name promises, not unpack to far more than it weighs, and carry no macros. Anything else —
an executable renamed .jpg, HTML or SVG in disguise, an empty file, one over the size limit — is refused with a
message that says what is accepted.

Bytes are kept content-addressed (`ab/abcdef…`, the SHA-256 of what is stored) in a folder next to the database or
in an S3-compatible bucket, through obstore, which speaks both.
"""

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import cache

import filetype
import obstore
from obstore.store import LocalStore, S3Store
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from acplan import settings
from acplan.errors import InvalidInput, Issue
from acplan.xlsx import check_archive

PHOTOS = {"image/jpeg": ("JPEG", ".jpg"), "image/png": ("PNG", ".png"), "image/webp": ("WEBP", ".webp"),
          "image/heic": ("JPEG", ".jpg"), "image/heif": ("JPEG", ".jpg")}  # a phone's HEIC is stored as JPEG
STORED_AS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
OFFICE = {  # what the zip's own manifest says it is -> content type
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = {"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
       "application/vnd.oasis.opendocument.presentation"}
PDF_DANGER = ("/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia", "/XFA")
MAX_PIXELS = 60_000_000  # a photo that would decode to more is a decompression bomb, not evidence
THUMB_PX = 360
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow refuses (DecompressionBombError) a photo that would decode to more
register_heif_opener()  # Pillow reads HEIC/HEIF (iPhones' default) through libheif
CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Checked:
    """A file as it will be stored: its bytes (a photo cleaned), type, a safe name, and a thumbnail for photos."""

    data: bytes
    content_type: str
    name: str
    thumbnail: bytes | None
    sha256: str


def clean_name(name: str) -> str:
    """The file's own name without any folder, control or direction characters, at most 120 characters."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = CONTROL.sub("", base).strip().strip(".") or "file"
    return base[-120:]


def check(raw: bytes, name: str, *, max_bytes: int) -> Checked:
    """`raw` as it will be stored, or InvalidInput saying why it is refused (`evidence_*` codes)."""
    if not raw:
        raise InvalidInput(Issue("evidence_empty", {"name": clean_name(name)}))
    if len(raw) > max_bytes:
        raise InvalidInput(Issue("evidence_too_big", {"name": clean_name(name), "max": max_bytes // (1024 * 1024)}))
    kind = filetype.guess(raw)
    mime = kind.mime if kind else None
    if mime in PHOTOS:
        data, thumb = _photo(raw, mime, name)
        fmt, suffix = PHOTOS[mime]
        return Checked(data, STORED_AS[fmt], _suffixed(clean_name(name), suffix), thumb, sha256(data))
    if mime == "application/pdf" or raw.startswith(b"%PDF-"):
        _pdf(raw, name)
        return Checked(raw, "application/pdf", _suffixed(clean_name(name), ".pdf"), None, sha256(raw))
    if raw.startswith(b"PK\x03\x04"):
        mime = _office(raw, name)
        return Checked(raw, mime, clean_name(name), None, sha256(raw))
    raise InvalidInput(Issue("evidence_type", {"name": clean_name(name)}))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _suffixed(name: str, suffix: str) -> str:
    """The name with the suffix its content has (a PNG named .jpg is saved as .png)."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return stem + suffix


def _photo(raw: bytes, mime: str, name: str) -> tuple[bytes, bytes]:
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            probe.verify()  # the whole file decodes as the image it claims to be
        with Image.open(io.BytesIO(raw)) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)  # keep how it was taken, then drop every tag with the rest
            fmt, _suffix = PHOTOS[mime]
            clean = upright.convert("RGB") if fmt == "JPEG" and upright.mode not in ("RGB", "L") else upright
            out = io.BytesIO()
            clean.save(out, format=fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
            thumb = clean.copy()
            thumb.thumbnail((THUMB_PX, THUMB_PX))
            small = io.BytesIO()
            thumb.convert("RGB").save(small, format="JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise InvalidInput(Issue("evidence_damaged", {"name": clean_name(name)})) from None
    return out.getvalue(), small.getvalue()


def _pdf(raw: bytes, name: str) -> None:
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise InvalidInput(Issue("evidence_pdf_encrypted", {"name": clean_name(name)}))
        seen: set[tuple[int, int]] = set()
        stack = [reader.trailer]
        while stack:
            obj = stack.pop()
            if isinstance(obj, IndirectObject):
                key = (obj.idnum, obj.generation)
                if key in seen or len(seen) > 200_000:
                    continue
                seen.add(key)
                obj = obj.get_object()
            if isinstance(obj, DictionaryObject):
                if any(k in obj for k in PDF_DANGER) or obj.get("/S") in ("/JavaScript", "/Launch"):
                    raise InvalidInput(Issue("evidence_pdf_active", {"name": clean_name(name)}))
                stack.extend(v for k, v in obj.items() if k != "/Parent")
            elif isinstance(obj, ArrayObject):
                stack.extend(obj)
        len(reader.pages)  # every page can be found
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001  (pypdf raises many types for a damaged file)
        raise InvalidInput(Issue("evidence_damaged", {"name": clean_name(name)})) from None


def _office(raw: bytes, name: str) -> str:
    try:
        check_archive(raw)  # a zip bomb or a damaged archive is refused before anything unpacks it
    except InvalidInput as exc:
        code = {"sheet_macro": "evidence_macro", "sheet_bomb": "evidence_bomb"}.get(exc.issues[0].code, "evidence_damaged")
        raise InvalidInput(Issue(code, {"name": clean_name(name)})) from None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = set(z.namelist())
            if any(n.lower().endswith(("vbaproject.bin", ".bin")) and "vba" in n.lower() for n in names):
                raise InvalidInput(Issue("evidence_macro", {"name": clean_name(name)}))
            if "[Content_Types].xml" in names:
                found = next((mime for part, mime in OFFICE.items() if part in names), None)
                if found:
                    return found
            if "mimetype" in names:
                mime = z.read("mimetype").decode("ascii", "replace").strip()
                if mime in ODF:
                    return mime
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001  (a damaged archive)
        raise InvalidInput(Issue("evidence_damaged", {"name": clean_name(name)})) from None
    raise InvalidInput(Issue("evidence_type", {"name": clean_name(name)}))


# ------------------------------------------------------------------------------------------------ storage


@cache
def _store(bucket: str | None, endpoint: str | None, region: str, folder: str):
    if bucket:
        return S3Store(bucket, region=region, endpoint=endpoint,
                       client_options={"allow_http": bool(endpoint and endpoint.startswith("http://"))})
    return LocalStore(prefix=folder, mkdir=True)


def store():
    """Where evidence bytes live: the S3 bucket when one is set, else the evidence folder."""
    s = settings.get()
    return _store(s.evidence_s3_bucket, s.evidence_s3_endpoint, s.evidence_s3_region, str(s.evidence_dir))


def key(digest: str) -> str:
    return f"{digest[:2]}/{digest}"


def put(data: bytes) -> str:
    """Keep `data` (once: the same bytes are the same key); its SHA-256."""
    digest = sha256(data)
    obstore.put(store(), key(digest), data)
    return digest


def get(digest: str) -> bytes:
    """The bytes kept under `digest`, checked against it (a changed file is never served as the one uploaded)."""
    data = bytes(obstore.get(store(), key(digest)).bytes())
    if sha256(data) != digest:
        raise InvalidInput(Issue("evidence_corrupt", {"sha256": digest[:12]}))
    return data


def remove(digest: str) -> None:
    try:
        obstore.delete(store(), key(digest))
    except FileNotFoundError:
        pass
