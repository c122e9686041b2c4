"""Commitments follow-up (app.commitments): status flow, progress notes with evidence, overdue badges, notifications."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage

from app.commitments import services
from app.commitments.models import Commitment, CommitmentNote
from app.encounters.models import Notification
from app.extensions import db
from app.validation import ValidationError
from tests.app.logbook.world import png_bytes


@pytest.fixture
def commitment(world, commitment_data):
    c = services.record_commitment(world.encounter, world.a, commitment_data(), actor=world.supervisor)
    db.session.commit()
    return c


def _note(commitment, actor, **data):
    data.setdefault("body", "Avance de la semana")
    return services.add_commitment_note(commitment, data, data.pop("evidence", None), actor=actor)


def test_status_flow(world, commitment):
    _note(commitment, world.director_a, status="en_curso")
    assert commitment.status == "en_curso"
    _note(commitment, world.docente_a, status="cumplido")
    assert commitment.status == "cumplido"
    with pytest.raises(ValidationError) as exc:
        _note(commitment, world.director_a, status="en_curso")
    assert "no puede pasar a «En curso»" in exc.value.errors["status"]
    assert [n.status_after for n in commitment.notes] == ["en_curso", "cumplido"]


def test_a_note_without_status_keeps_the_status(world, commitment):
    note = _note(commitment, world.supervisor, status="")
    assert note.status_after is None and commitment.status == "pendiente"


def test_note_needs_a_body(world, commitment):
    with pytest.raises(ValidationError) as exc:
        _note(commitment, world.director_a, body="  ")
    assert exc.value.errors["body"] == "Describe el avance."


def test_rescheduling_needs_a_new_future_date(world, commitment, today):
    with pytest.raises(ValidationError) as exc:
        _note(commitment, world.director_a, status="reprogramado")
    assert exc.value.errors["new_due_date"] == "Para reprogramar indica la nueva fecha límite."
    with pytest.raises(ValidationError) as exc:
        _note(
            commitment,
            world.director_a,
            status="reprogramado",
            new_due_date=(today - timedelta(days=1)).isoformat(),
        )
    assert "pasado" in exc.value.errors["new_due_date"]
    with pytest.raises(ValidationError):
        _note(
            commitment, world.director_a, status="reprogramado", new_due_date=commitment.due_date.isoformat()
        )
    new_date = today + timedelta(days=30)
    note = _note(commitment, world.director_a, status="reprogramado", new_due_date=new_date.isoformat())
    assert commitment.status == "reprogramado" and commitment.due_date == new_date
    assert note.due_date_after == new_date


def test_a_new_date_without_rescheduling_is_refused(world, commitment, today):
    with pytest.raises(ValidationError) as exc:
        _note(commitment, world.director_a, new_due_date=(today + timedelta(days=9)).isoformat())
    assert "Reprogramado" in exc.value.errors["new_due_date"]


def test_not_met_can_be_given_another_chance(world, commitment, today):
    _note(commitment, world.director_a, status="no_cumplido")
    _note(
        commitment,
        world.director_a,
        status="reprogramado",
        new_due_date=(today + timedelta(days=20)).isoformat(),
    )
    assert commitment.status == "reprogramado"


def test_evidence_image_is_stored_and_served(client, login_as, world, commitment):
    login_as(world.director_a)
    response = client.post(
        f"/compromisos/{commitment.id}/notas",
        data={
            "body": "Fotos del rincón de lectura",
            "status": "en_curso",
            "evidence": (io.BytesIO(png_bytes()), "rincón.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    note = db.session.execute(db.select(CommitmentNote)).scalar_one()
    assert note.evidence_mime_type == "image/png" and note.evidence_stored_name.endswith(".png")
    assert services.note_evidence_path(note).is_file()
    served = client.get(f"/compromisos/avances/{note.id}/evidencia")
    assert served.status_code == 200 and served.mimetype == "image/png" and served.data == png_bytes()
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    page = client.get(f"/compromisos/{commitment.id}").get_data(as_text=True)
    assert "Fotos del rincón de lectura" in page and f"/compromisos/avances/{note.id}/evidencia" in page


def test_renamed_text_file_is_refused(client, login_as, world, commitment):
    login_as(world.director_a)
    before = set(services.commitment_folder().iterdir())
    response = client.post(
        f"/compromisos/{commitment.id}/notas",
        data={
            "body": "Evidencia falsa",
            "status": "en_curso",
            "evidence": (io.BytesIO(b"esto no es una imagen, solo texto"), "foto.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Solo se aceptan imágenes JPEG, PNG o WebP y documentos PDF." in response.get_data(as_text=True)
    assert db.session.query(CommitmentNote).count() == 0
    db.session.refresh(commitment)
    assert commitment.status == "pendiente"
    assert set(services.commitment_folder().iterdir()) == before


def test_evidence_file_of_a_rolled_back_note_is_removed(world, commitment):
    file = FileStorage(io.BytesIO(png_bytes()), filename="ok.png")
    note = _note(commitment, world.director_a, evidence=file)
    path = services.note_evidence_path(note)
    assert path.is_file()
    db.session.rollback()
    assert not path.exists()


def test_evidence_pdf_is_accepted(world, commitment):
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    data = buffer.getvalue()
    note = _note(commitment, world.director_a, evidence=FileStorage(io.BytesIO(data), filename="informe.pdf"))
    assert note.evidence_mime_type == "application/pdf"


def test_evidence_pdf_is_a_sandboxed_download(client, login_as, world, commitment):
    """Never inline: in the browser's PDF viewer a PDF's JavaScript and forms would run on this site."""
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    note = _note(commitment, world.director_a, evidence=FileStorage(io.BytesIO(buffer.getvalue()), "i.pdf"))
    db.session.commit()
    login_as(world.director_a)
    served = client.get(f"/compromisos/avances/{note.id}/evidencia")
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["Content-Security-Policy"].startswith("sandbox;")


def test_school_commitments_page_highlights_overdue(client, login_as, world, commitment, today):
    old = Commitment(
        school_id=world.a.id,
        encounter_id=world.encounter.id,
        action="Compromiso atrasado",
        responsible="Dirección",
        due_date=today - timedelta(days=3),
        school_year="2025-2026",
    )
    done = Commitment(
        school_id=world.a.id,
        action="Compromiso cumplido",
        status="cumplido",
        responsible="Dirección",
        due_date=today - timedelta(days=30),
        school_year="2025-2026",
    )
    db.session.add_all([old, done])
    db.session.commit()
    login_as(world.director_a)
    html = client.get(f"/escuelas/{world.a.cct}/compromisos").get_data(as_text=True)
    row = html[html.index(f'data-commitment="{old.id}"') - 40 : html.index("Compromiso atrasado") + 400]
    assert 'class="overdue"' in row and "Vencido" in row
    soon_row = html[html.index(f'data-commitment="{commitment.id}"') - 40 :]
    assert 'class="due-soon"' in soon_row[:200] and "Vence pronto" in soon_row
    done_row = html[html.index(f'data-commitment="{done.id}"') - 40 :]
    assert 'class=""' in done_row[:100]
    only_done = client.get(f"/escuelas/{world.a.cct}/compromisos?estado=cumplido").get_data(as_text=True)
    assert "Compromiso cumplido" in only_done and "Compromiso atrasado" not in only_done


def test_commitment_page_404_and_note_422(client, login_as, world, commitment):
    login_as(world.director_a)
    assert client.get("/compromisos/999999").status_code == 404
    assert client.get("/compromisos/avances/999999/evidencia").status_code == 404
    response = client.post(
        f"/compromisos/{commitment.id}/notas", data={"body": "Se movió la fecha", "status": "reprogramado"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Para reprogramar indica la nueva fecha límite." in html and "Se movió la fecha" in html


# --- notifications -----------------------------------------------------------------------------


@pytest.fixture
def due(world, today):
    """Commitments of school A: overdue, due in 3 days, due in 30 days, and one already met."""

    def make(action, days, status="pendiente", school=None):
        c = Commitment(
            school_id=(school or world.a).id,
            action=action,
            responsible="Dirección",
            due_date=today + timedelta(days=days),
            status=status,
            school_year="2025-2026",
        )
        db.session.add(c)
        return c

    rows = {
        "overdue": make("Atrasado", -2),
        "soon": make("Pronto", 3),
        "far": make("Lejano", 30),
        "done": make("Hecho", -5, status="cumplido"),
        "other_zone": make("Otra zona", 1, school=world.e),
    }
    db.session.commit()
    return rows


def _notifications():
    return db.session.execute(db.select(Notification).order_by(Notification.id)).scalars().all()


@pytest.mark.parametrize("group", ["commitments", "logbook"])  # the cron job's old name still works
def test_notify_cli_is_targeted_and_idempotent(app, world, due, today, group):
    runner = app.test_cli_runner()
    result = runner.invoke(args=[group, "notify", "--date", today.isoformat()])
    assert result.exit_code == 0, result.output
    notes = _notifications()
    got = {(n.user_id, n.kind, n.dedupe_key.split(":")[1]) for n in notes}
    expected = {
        (world.director_a.id, "compromiso_vencido", str(due["overdue"].id)),
        (world.supervisor.id, "compromiso_vencido", str(due["overdue"].id)),
        (world.director_a.id, "compromiso_por_vencer", str(due["soon"].id)),
        (world.supervisor.id, "compromiso_por_vencer", str(due["soon"].id)),
        (world.director_e.id, "compromiso_por_vencer", str(due["other_zone"].id)),
        (world.supervisor_other.id, "compromiso_por_vencer", str(due["other_zone"].id)),
    }
    assert got == expected
    assert "6 notificaciones nuevas." in result.output
    assert all(n.url.startswith("/compromisos/") for n in notes)
    assert any("venció" in n.message and "Atrasado" in n.message for n in notes)
    again = runner.invoke(args=[group, "notify", "--date", today.isoformat()])
    assert "0 notificaciones nuevas." in again.output and len(_notifications()) == 6


def test_rescheduling_brings_a_fresh_notification(world, due, today):
    assert services.notify_due_commitments(today=today) == 6
    _note(
        due["overdue"],
        world.director_a,
        status="reprogramado",
        new_due_date=(today + timedelta(days=2)).isoformat(),
    )
    assert services.notify_due_commitments(today=today) == 2  # director + supervisor, new date


def test_next_day_a_due_soon_commitment_is_not_notified_again(world, due, today):
    services.notify_due_commitments(today=today)
    assert services.notify_due_commitments(today=today + timedelta(days=1)) == 0


def test_notify_rejects_a_bad_date(app, db):
    result = app.test_cli_runner().invoke(args=["logbook", "notify", "--date", "mañana"])
    assert result.exit_code != 0 and "AAAA-MM-DD" in result.output


def test_a_read_notification_is_not_sent_again(world, due, today):
    from app.utils import utcnow

    services.notify_due_commitments(today=today)
    for n in _notifications():
        n.read_at = utcnow()
    db.session.commit()
    assert services.notify_due_commitments(today=today) == 0
    assert len(_notifications()) == 6
