"""Evidence files (#14): a corpus of bad files refused or cleaned with nothing kept, photos stripped of location and
camera data but kept upright, attach / read / withdraw / purge with their rights, on a folder and on a real
S3-compatible server (moto's, started by the test)."""

import io
import zipfile
from datetime import date, timedelta

import boto3
import filetype
import pytest
from docx import Document
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from sqlmodel import Session, select

from acplan.errors import InvalidInput, NotAllowed
from acplan.monitoring import evidence, files, unitreports
from acplan.monitoring.models import AuditLog, EvaluationRound, Evidence
from tests.factories import OPERATOR, as_actor, plan_id, project_id, user
from tests.test_unit_reports import open_round, unit_of

GPS_IFD = 0x8825


def jpeg(size=(64, 48), gps=False, orientation=None, colour=(200, 30, 30)) -> bytes:
    img = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0110] = "Phone X"  # Model
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (18.0, 52.0, 0.0), 3: "E", 4: (100.0, 18.0, 0.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 120, 0)).save(out, format="PNG")
    return out.getvalue()


def pdf(edit=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if edit:
        edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def launch(writer: PdfWriter) -> None:
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")})


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    doc = Document()
    doc.add_paragraph("รายชื่อผู้เข้าอบรม")
    doc.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    out = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "ใบสำคัญรับเงิน"
    wb.save(out)
    return out.getvalue()


def odt() -> bytes:
    return zipped({"mimetype": b"application/vnd.oasis.opendocument.text",
                   "content.xml": b"<office:document-content/>", "META-INF/manifest.xml": b"<manifest/>"})


REFUSED = [
    ("empty", b"", "photo.jpg", "evidence_empty"),
    ("over the limit", b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024), "big.jpg", "evidence_too_big"),
    ("an executable renamed .jpg", b"MZ\x90\x00" + b"\x00" * 500, "photo.jpg", "evidence_type"),
    ("an ELF binary renamed .pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 500, "report.pdf", "evidence_type"),
    ("HTML named .jpg", b"<html><script>alert(1)</script></html>", "photo.jpg", "evidence_type"),
    ("SVG named .jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "photo.jpg", "evidence_type"),
    ("SVG as itself", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "chart.svg", "evidence_type"),
    ("a shell script named .png", b"#!/bin/sh\nrm -rf /\n", "photo.png", "evidence_type"),
    ("a GIF", b"GIF89a" + b"\x01\x00\x01\x00\x00\x00\x00" + b"\x00" * 40, "anim.gif", "evidence_type"),
    ("plain text", "ข้อความธรรมดา".encode(), "note.txt", "evidence_type"),
    ("random bytes named .xlsx", bytes(range(256)) * 4, "sheet.xlsx", "evidence_type"),
    ("a PDF with JavaScript", pdf(lambda w: w.add_open_action(JavaScript("app.alert('x');"))), "order.pdf", "evidence_pdf_active"),
    ("a PDF that launches a program", pdf(launch), "order.pdf", "evidence_pdf_active"),
    ("a PDF with an embedded file", pdf(lambda w: w.add_attachment("a.exe", b"MZ")), "order.pdf", "evidence_pdf_active"),
    ("an encrypted PDF", pdf(lambda w: w.encrypt("secret")), "order.pdf", "evidence_pdf_encrypted"),
    ("a truncated PDF", b"%PDF-1.7\n1 0 obj <<", "order.pdf", "evidence_damaged"),
    ("a zip bomb .docx", zipped({"[Content_Types].xml": b"x", "word/document.xml": b"0" * 60_000_000}),
     "bomb.docx", "evidence_bomb"),
    ("a Word file with macros", zipped({"[Content_Types].xml": b"x", "word/document.xml": b"<w/>",
                                        "word/vbaProject.bin": b"\x00" * 10}), "macro.docm", "evidence_macro"),
    ("a plain zip named .docx", zipped({"readme.txt": b"hello"}), "letter.docx", "evidence_type"),
    ("an ODF of an unknown kind", zipped({"mimetype": b"application/x-unknown", "content.xml": b"x"}), "a.odt",
     "evidence_type"),
    ("a truncated JPEG", jpeg()[:200], "photo.jpg", "evidence_damaged"),
    ("a PNG header then garbage", png()[:40] + b"\x00" * 200, "photo.png", "evidence_damaged"),
    ("a JPEG header then HTML", b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>" * 20, "photo.jpg",
     "evidence_damaged"),
]
CLEANED = [
    ("a name climbing folders", jpeg(), "../../etc/x.jpg", "x.jpg", "image/jpeg"),
    ("a name with control and direction characters", jpeg(), "ภาพ\x00\u202egpj.exe.jpg", "ภาพgpj.exe.jpg", "image/jpeg"),
    ("a PNG named .jpg", png(), "photo.jpg", "photo.png", "image/png"),
    ("a Windows path", docx(), "C:\\Users\\clerk\\รายชื่อ.docx", "รายชื่อ.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("an Excel workbook", xlsx(), "ใบสำคัญ.xlsx", "ใบสำคัญ.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("an OpenDocument text", odt(), "บันทึก.odt", "บันทึก.odt", "application/vnd.oasis.opendocument.text"),
    ("a plain PDF", pdf(), "คำสั่ง.pdf", "คำสั่ง.pdf", "application/pdf"),
]


@pytest.fixture
def store(loaded_engine, tmp_path, monkeypatch):
    monkeypatch.setenv("ACPLAN_EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("ACPLAN_EVIDENCE_MAX_MB", "1")
    with Session(loaded_engine) as s:
        account = user(s, "unit1", "unit")
        unitreports.set_units(session=s, actor=OPERATOR, username="unit1", plan_id=plan_id(s),
                              unit_names=[unit_of(s, 1).name_th])
        user(s, "m1", "committee")
        rnd = open_round(s)
        report = unitreports.save_report(session=s, actor=as_actor(account), rnd=rnd, project_id=project_id(s, 1),
                                         report_in=unitreports.parse_typed({"done_th": "อบรมแล้ว"}, [], {}),
                                         expected_version=None)
        s.commit()
        yield s, as_actor(account), report.id, tmp_path / "evidence"


def stored_files(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize(("case", "raw", "name", "code"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_bad_file_is_refused_and_nothing_is_kept(store, case, raw, name, code):
    s, unit, report_id, folder = store
    with pytest.raises(InvalidInput) as refused:
        evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name=name, raw=raw)
    assert [i.code for i in refused.value.issues] == [code], case
    s.rollback()
    assert stored_files(folder) == [] and s.exec(select(Evidence)).all() == []


@pytest.mark.parametrize(("case", "raw", "name", "kept_as", "content_type"), CLEANED, ids=[c[0] for c in CLEANED])
def test_a_good_file_is_kept_under_a_clean_name(store, case, raw, name, kept_as, content_type):
    s, unit, report_id, _folder = store
    row = evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name=name, raw=raw)
    s.commit()
    assert (row.original_name, row.content_type) == (kept_as, content_type), case
    data, shown_name, shown_type = evidence.read(session=s, actor=unit, evidence_id=row.id)
    assert (shown_name, shown_type, files.sha256(data)) == (kept_as, content_type, row.sha256)


def test_a_photo_loses_its_location_and_camera_but_stays_upright(store):
    s, unit, report_id, _folder = store
    raw = jpeg(size=(80, 40), gps=True, orientation=6)  # taken sideways: shown turned a quarter
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)
    row = evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name="อบรม.jpg", raw=raw)
    s.commit()
    data, _name, _type = evidence.read(session=s, actor=unit, evidence_id=row.id)
    kept = Image.open(io.BytesIO(data))
    assert dict(kept.getexif()) == {} and not kept.getexif().get_ifd(GPS_IFD)
    assert b"Phone X" not in data and b"CameraMaker" not in data
    assert kept.size == (40, 80)  # turned upright, since the tag that said how is gone
    thumb, thumb_name, thumb_type = evidence.read(session=s, actor=unit, evidence_id=row.id, thumbnail=True)
    assert thumb_type == "image/jpeg" and max(Image.open(io.BytesIO(thumb)).size) <= files.THUMB_PX


def heic(size=(80, 40), orientation=6) -> bytes:
    """A photo as an iPhone saves it: HEIC, with location and camera tags, taken sideways."""
    img = Image.new("RGB", size, (30, 90, 200))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"
    exif[0x0112] = orientation
    exif[GPS_IFD] = {1: "N", 2: (18.0, 52.0, 0.0), 3: "E", 4: (100.0, 18.0, 0.0)}
    out = io.BytesIO()
    img.save(out, format="HEIF", exif=exif.tobytes(), quality=80)
    return out.getvalue()


def test_a_phone_photo_in_heic_is_kept_as_a_clean_upright_jpeg(store):
    s, unit, report_id, _folder = store
    raw = heic()
    assert filetype.guess(raw).mime == "image/heic" and b"Phone X" in raw
    row = evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name="IMG_0042.HEIC",
                          raw=raw)
    s.commit()
    data, name, content_type = evidence.read(session=s, actor=unit, evidence_id=row.id)
    kept = Image.open(io.BytesIO(data))
    assert (name, content_type, kept.format) == ("IMG_0042.jpg", "image/jpeg", "JPEG")
    assert dict(kept.getexif()) == {} and b"Phone X" not in data
    assert kept.size == (40, 80)  # upright as taken
    thumb, _name, _type = evidence.read(session=s, actor=unit, evidence_id=row.id, thumbnail=True)
    assert Image.open(io.BytesIO(thumb)).format == "JPEG"


def test_a_damaged_heic_is_refused_and_nothing_is_kept(store):
    s, unit, report_id, _folder = store
    raw = heic()
    with pytest.raises(InvalidInput) as refused:
        evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name="IMG.heic",
                        raw=raw[: len(raw) // 2])
    assert [i.code for i in refused.value.issues] == ["evidence_damaged"]
    s.rollback()
    assert s.exec(select(Evidence)).all() == []


def test_who_may_attach_read_withdraw_and_purge(store):
    s, unit, report_id, folder = store
    row = evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name="a.jpg", raw=jpeg())
    s.commit()
    member = as_actor(s.exec(select(unitreports.AppUser).where(unitreports.AppUser.username == "m1")).one())
    with pytest.raises(NotAllowed):  # a draft report's files are the unit's own
        evidence.read(session=s, actor=member, evidence_id=row.id)
    with pytest.raises(NotAllowed):
        evidence.attach(session=s, actor=member, subject="unit_report", subject_id=report_id, name="b.jpg", raw=jpeg())
    s.rollback()
    unitreports.submit_reports(session=s, actor=unit, rnd=s.exec(select(EvaluationRound)).one())
    s.commit()
    assert evidence.read(session=s, actor=member, evidence_id=row.id)[1] == "a.jpg"  # submitted: the committee reads it
    with pytest.raises(NotAllowed):  # the public, while the round is open
        evidence.read(session=s, actor=unitreports.Actor.anonymous(), evidence_id=row.id)
    with pytest.raises(NotAllowed):  # submitted: locked, until returned
        evidence.withdraw(session=s, actor=unit, evidence_id=row.id, reason="ผิดไฟล์")
    s.rollback()
    secretary = as_actor(user(s, "sec1", "secretary"))
    unitreports.return_report(session=s, actor=secretary, rnd=s.exec(select(EvaluationRound)).one(), number=1,
                              reason="แนบไฟล์ผิด")
    with pytest.raises(InvalidInput):
        evidence.withdraw(session=s, actor=unit, evidence_id=row.id, reason=" ")
    evidence.withdraw(session=s, actor=unit, evidence_id=row.id, reason="แนบไฟล์ผิด")
    s.commit()
    assert evidence.list_for(session=s, actor=unit, subject="unit_report", subject_id=report_id) == []
    assert len(stored_files(folder)) == 2  # the photo and its thumbnail: withdrawn, not deleted
    assert evidence.purge(session=s, actor=OPERATOR, plan_id=plan_id(s), older_than_days=30, today=date.today()) == 0
    assert evidence.purge(session=s, actor=OPERATOR, plan_id=plan_id(s), older_than_days=30,
                          today=date.today() + timedelta(days=31)) == 1  # withdrawn over 30 days before
    s.commit()
    assert stored_files(folder) == []
    actions = list(s.exec(select(AuditLog.action).where(AuditLog.entity == "evidence").order_by(AuditLog.id)))
    assert actions == ["evidence.attach", "evidence.withdraw", "evidence.purge"]


def test_limits_per_record(store, monkeypatch):
    s, unit, report_id, _folder = store
    monkeypatch.setenv("ACPLAN_EVIDENCE_MAX_FILES", "2")
    from acplan import settings
    settings.get.cache_clear()
    for i in range(2):
        evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name=f"{i}.jpg",
                        raw=jpeg(colour=(i * 40, 0, 0)))
    with pytest.raises(InvalidInput) as refused:
        evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name="3.jpg", raw=jpeg())
    assert refused.value.issues[0].params == {"max": 2}


def test_evidence_on_an_s3_compatible_server(store, monkeypatch):
    from moto.server import ThreadedMotoServer

    s, unit, report_id, folder = store
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        for name, value in {"AWS_ACCESS_KEY_ID": "acplan-test", "AWS_SECRET_ACCESS_KEY": "acplan-test-secret",
                            "ACPLAN_EVIDENCE_S3_BUCKET": "acplan-evidence", "ACPLAN_EVIDENCE_S3_ENDPOINT": endpoint}.items():
            monkeypatch.setenv(name, value)
        from acplan import settings
        settings.get.cache_clear()
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id="acplan-test", aws_secret_access_key="acplan-test-secret")
        client.create_bucket(Bucket="acplan-evidence")
        row = evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name="คำสั่ง.pdf",
                              raw=pdf())
        s.commit()
        keys = [o["Key"] for o in client.list_objects_v2(Bucket="acplan-evidence")["Contents"]]
        assert keys == [f"{row.sha256[:2]}/{row.sha256}"] and stored_files(folder) == []
        body = client.get_object(Bucket="acplan-evidence", Key=keys[0])["Body"].read()
        assert files.sha256(body) == row.sha256
        client.put_object(Bucket="acplan-evidence", Key=keys[0], Body=b"changed behind acplan's back")
        with pytest.raises(InvalidInput) as refused:  # never served as the file that was uploaded
            evidence.read(session=s, actor=unit, evidence_id=row.id)
        assert refused.value.issues[0].code == "evidence_corrupt"
    finally:
        server.stop()


def _published_with_evidence(s, unit, report_id) -> dict[int, bytes]:
    """Two files on the unit's report (one public), the report submitted and its round published; the bytes kept."""
    kept = {}
    for name, raw, public in (("อบรม.jpg", jpeg(gps=True), True), ("ใบสำคัญ.pdf", pdf(), False)):
        row = evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name=name, raw=raw,
                              public=public)
        kept[row.id] = evidence.read(session=s, actor=unit, evidence_id=row.id)[0]
    rnd = s.exec(select(EvaluationRound)).one()
    unitreports.submit_reports(session=s, actor=unit, rnd=rnd)
    from acplan.monitoring import rounds
    for action in ("close", "publish"):
        rounds.transition(session=s, actor=OPERATOR, plan_id=plan_id(s), code="2568-1", action=action, early=True,
                          reason="ทดสอบ")
    s.commit()
    return kept


@pytest.mark.parametrize("target", ["sqlite-folder", "postgresql-s3"])
def test_evidence_survives_backup_and_restore_byte_for_byte(store, cli, tmp_path, monkeypatch, target, request):
    s, unit, report_id, _folder = store
    kept = _published_with_evidence(s, unit, report_id)
    source = {"ACPLAN_DATABASE_URL": str(s.get_bind().url)}
    code, out, err = cli("backup", "-o", str(tmp_path / "store.acplan.gz"), env=source)
    assert code == 0, err
    if target == "sqlite-folder":
        env = {"ACPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'restored.db'}",
               "ACPLAN_EVIDENCE_DIR": str(tmp_path / "restored-evidence")}
        server = None
    else:
        from moto.server import ThreadedMotoServer
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        env = {"ACPLAN_DATABASE_URL": request.getfixturevalue("pg_url"), "ACPLAN_EVIDENCE_S3_BUCKET": "restored",
               "ACPLAN_EVIDENCE_S3_ENDPOINT": endpoint, "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"}
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="k",
                     aws_secret_access_key="s").create_bucket(Bucket="restored")
    try:
        code, out, err = cli("restore", str(tmp_path / "store.acplan.gz"), "--yes", env=env)
        assert code == 0, err
        from acplan import settings
        from acplan.db import make_engine
        settings.get.cache_clear()
        engine = make_engine(env["ACPLAN_DATABASE_URL"])
        with Session(engine) as restored:
            for evidence_id, raw in kept.items():
                assert evidence.read(session=restored, actor=OPERATOR, evidence_id=evidence_id)[0] == raw
        engine.dispose()
    finally:
        if server:
            server.stop()


def test_a_backup_whose_file_was_changed_is_not_restored(store, cli, tmp_path):
    import base64
    import gzip
    import json

    s, unit, report_id, _folder = store
    _published_with_evidence(s, unit, report_id)
    source = {"ACPLAN_DATABASE_URL": str(s.get_bind().url)}
    assert cli("backup", "-o", str(tmp_path / "b.gz"), env=source)[0] == 0
    payload = json.loads(gzip.decompress((tmp_path / "b.gz").read_bytes()))
    digest = next(iter(payload["blobs"]))
    payload["blobs"][digest] = base64.b64encode(b"tampered").decode()
    (tmp_path / "bad.gz").write_bytes(gzip.compress(json.dumps(payload).encode()))
    env = {"ACPLAN_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}", "ACPLAN_EVIDENCE_DIR": str(tmp_path / "r-ev")}
    code, _, err = cli("restore", str(tmp_path / "bad.gz"), "--yes", env=env)
    assert code == 2 and "SHA-256" in err
    assert stored_files(tmp_path / "r-ev") == []


def test_the_public_snapshot_carries_only_public_evidence(store, cli, tmp_path):
    import sqlite3

    s, unit, report_id, _folder = store
    kept = _published_with_evidence(s, unit, report_id)
    source = {"ACPLAN_DATABASE_URL": str(s.get_bind().url)}
    code, _, err = cli("publish-snapshot", str(tmp_path / "public.db"), "--evidence-dir", str(tmp_path / "public-ev"),
                       env=source)
    assert code == 0, err
    conn = sqlite3.connect(tmp_path / "public.db")
    rows = conn.execute("SELECT original_name, uploaded_by_id FROM evidence").fetchall()
    conn.close()
    assert rows == [("อบรม.jpg", None)]
    copied = {p.name for p in stored_files(tmp_path / "public-ev")}
    public_id = min(kept)  # the photo, attached first
    assert files.sha256(kept[public_id]) in copied and len(copied) == 2  # the photo and its thumbnail, not the PDF


def test_purge_from_the_command_line(store, cli):
    s, unit, report_id, folder = store
    row = evidence.attach(session=s, actor=unit, subject="unit_report", subject_id=report_id, name="a.pdf", raw=pdf())
    evidence.withdraw(session=s, actor=unit, evidence_id=row.id, reason="ผิดไฟล์")
    s.commit()
    env = {"ACPLAN_DATABASE_URL": str(s.get_bind().url), "ACPLAN_TODAY": (date.today() + timedelta(days=200)).isoformat()}
    code, out, err = cli("purge-evidence", "--days", "180", env=env)
    assert code == 0 and "1 ไฟล์" in out, err
    assert stored_files(folder) == []
