"""Contact requests between schools (issue 12): a director of one zone writes to a director of
another about a problem or practice; both sides are notified; the reply comes back in the platform;
an encounter proposal reaches both zones' supervisors, who may then schedule it with both zones."""

from __future__ import annotations

import pytest
from flask import g

from app.contacts import services
from app.contacts.models import ContactMessage, ContactRequest
from app.encounters.models import Notification
from app.extensions import db
from app.validation import PermissionDenied, ValidationError
from tests import factories


@pytest.fixture
def world(db):
    zone_a, zone_b = factories.create_zone(), factories.create_zone()
    a, b = (
        factories.create_school(zone_a, name="NIÑOS HÉROES"),
        factories.create_school(zone_b, name="JUSTO SIERRA"),
    )
    return {
        "a": a,
        "b": b,
        "dir_a": factories.create_user("director", school=a),
        "dir_b": factories.create_user("director", school=b),
        "teacher_b": factories.create_user("docente", school=b),
        "sup_a": factories.create_user("supervisor", zone=zone_a),
        "sup_b": factories.create_user("supervisor", zone=zone_b),
        "problem_a": factories.create_problem(a, title="Lectura en voz alta"),
        "practice_b": factories.create_practice(b, title="Tutoría entre pares", visibility="todos"),
    }


def _notes(user) -> list[Notification]:
    return list(db.session.execute(db.select(Notification).filter_by(user_id=user.id)).scalars())


def _login(client, user):
    with client.session_transaction() as sess:
        factories.log_in(sess, user)
    g.pop("_login_user", None)


def test_request_reaches_the_other_director_and_the_reply_comes_back(world):
    w = world
    request = services.send_contact_request(
        w["b"],
        {
            "about": f"practica-{w['practice_b'].id}",
            "message": "  ¿Nos cuentan cómo organizan las parejas?  ",
        },
        actor=w["dir_a"],
    )
    db.session.commit()
    assert request.practice_id == w["practice_b"].id and request.status == "enviada"
    assert [m.body for m in request.messages] == ["¿Nos cuentan cómo organizan las parejas?"]
    [note] = _notes(w["dir_b"])
    assert "NIÑOS HÉROES" in note.message and note.url == f"/contactos/{request.id}"
    assert _notes(w["teacher_b"]) == [] and _notes(w["sup_b"]) == []  # directors only, no proposal yet

    services.reply(request, {"message": "Con gusto: cada jueves, 30 minutos."}, actor=w["dir_b"])
    db.session.commit()
    assert request.status == "respondida" and len(request.messages) == 2
    assert any("respondió" in n.message for n in _notes(w["dir_a"]))


def test_bad_input_names_the_field_and_stores_nothing(world):
    w = world
    cases = [
        ({"message": ""}, "message"),
        ({"message": "corto"}, "message"),
        ({"message": "x" * 1501}, "message"),
        ({"message": "Un mensaje suficientemente largo", "about": "problema-999999"}, "about"),
        ({"message": "Un mensaje suficientemente largo", "about": "practica-abc"}, "about"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as raised:
            services.send_contact_request(w["b"], data, actor=w["dir_a"])
        assert field in raised.value.errors, data
        db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(ContactRequest.id))) == 0


def test_a_practice_the_sender_may_not_see_is_not_a_topic(world):
    w = world
    hidden = factories.create_practice(w["b"], title="Solo de la escuela", visibility="escuela")
    keys = {key for key, _label in services.contact_topics(w["b"], actor=w["dir_a"])}
    assert f"practica-{w['practice_b'].id}" in keys and f"practica-{hidden.id}" not in keys
    assert f"problema-{w['problem_a'].id}" in keys  # the sender's own problem
    with pytest.raises(ValidationError):
        services.send_contact_request(
            w["b"],
            {"about": f"practica-{hidden.id}", "message": "Queremos saber más de esto"},
            actor=w["dir_a"],
        )


def test_who_may_write_read_and_reply(world, create_school, create_user):
    w = world
    with pytest.raises(PermissionDenied):  # a teacher does not write on behalf of the school
        services.send_contact_request(w["a"], {"message": "Hola, ¿cómo les fue?"}, actor=w["teacher_b"])
    with pytest.raises(PermissionDenied):  # nor to one's own school
        services.send_contact_request(w["a"], {"message": "Hola, ¿cómo les fue?"}, actor=w["dir_a"])
    request = services.send_contact_request(w["b"], {"message": "Hola, ¿cómo les fue?"}, actor=w["dir_a"])
    db.session.commit()
    from app import permissions

    stranger = create_user("director", school=create_school())
    assert permissions.can_view_contact(w["dir_a"], request) and permissions.can_view_contact(
        w["dir_b"], request
    )
    for outsider in (stranger, w["teacher_b"], w["sup_a"], w["sup_b"]):
        assert not permissions.can_view_contact(outsider, request)
    with pytest.raises(PermissionDenied):
        services.reply(request, {"message": "Me meto en la conversación"}, actor=stranger)
    services.close(request, actor=w["dir_b"])
    with pytest.raises(PermissionDenied):
        services.reply(request, {"message": "Una respuesta tardía"}, actor=w["dir_a"])


def test_a_school_without_a_director_account_is_a_clear_error(world, create_school):
    lonely = create_school(name="ESCUELA SIN CUENTAS")
    with pytest.raises(ValidationError) as raised:
        services.send_contact_request(lonely, {"message": "¿Podemos platicar?"}, actor=world["dir_a"])
    assert "ESCUELA SIN CUENTAS" in raised.value.errors["_"]


def test_daily_limit_per_sender(world, app):
    w = world
    for n in range(services.DAILY_REQUESTS):
        services.send_contact_request(w["b"], {"message": f"Mensaje número {n} de prueba"}, actor=w["dir_a"])
    with pytest.raises(ValidationError) as raised:
        services.send_contact_request(w["b"], {"message": "Uno más, ya excedido"}, actor=w["dir_a"])
    assert "mañana" in raised.value.errors["_"]


def test_encounter_proposal_reaches_both_supervisors_who_may_schedule_both_zones(world):
    w = world
    from app import permissions
    from app.encounters.queries import zones_for_scheduler

    request = services.send_contact_request(
        w["b"], {"message": "¿Nos vemos en un encuentro?"}, actor=w["dir_a"]
    )
    assert w["b"].zone not in zones_for_scheduler(w["sup_a"])
    services.propose_encounter(request, actor=w["dir_b"])
    db.session.commit()
    for sup in (w["sup_a"], w["sup_b"]):
        [note] = [n for n in _notes(sup) if n.kind == "encuentro_propuesto"]
        assert "NIÑOS HÉROES" in note.message and "JUSTO SIERRA" in note.message
        assert permissions.can_view_contact(sup, request)
        assert not permissions.can_reply_contact(sup, request)
        assert request in services.requests_for(sup)
    assert w["b"].zone in zones_for_scheduler(w["sup_a"]) and w["a"].zone in zones_for_scheduler(w["sup_b"])
    with pytest.raises(PermissionDenied):  # once
        services.propose_encounter(request, actor=w["dir_a"])


# --- pages ---------------------------------------------------------------------------------------


def test_pages_write_keep_what_was_typed_and_answer(client, world):
    w = world
    _login(client, w["dir_a"])
    page = client.get(f"/escuelas/{w['b'].cct}/contacto?practica={w['practice_b'].id}")
    assert page.status_code == 200
    assert f'<option selected value="practica-{w["practice_b"].id}">' in page.get_data(as_text=True)

    refused = client.post(f"/escuelas/{w['b'].cct}/contacto", data={"about": "", "message": "breve <b>"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "al menos 10 caracteres" in html and "breve &lt;b&gt;" in html
    assert db.session.scalar(db.select(db.func.count(ContactRequest.id))) == 0

    sent = client.post(
        f"/escuelas/{w['b'].cct}/contacto",
        data={"about": f"practica-{w['practice_b'].id}", "message": "¿Cómo forman las parejas <script>?"},
    )
    assert sent.status_code == 302
    request = db.session.execute(db.select(ContactRequest)).scalar_one()
    assert sent.headers["Location"].endswith(f"/contactos/{request.id}")

    _login(client, w["dir_b"])
    thread = client.get(f"/contactos/{request.id}").get_data(as_text=True)
    assert "¿Cómo forman las parejas &lt;script&gt;?" in thread and "<script>?" not in thread
    assert client.post(f"/contactos/{request.id}/responder", data={"message": ""}).status_code == 422
    assert (
        client.post(
            f"/contactos/{request.id}/responder", data={"message": "Los jueves, por afinidad."}
        ).status_code
        == 302
    )
    assert "NIÑOS HÉROES" in client.get("/contactos").get_data(as_text=True)

    _login(client, w["teacher_b"])
    assert client.get(f"/contactos/{request.id}").status_code == 403
    assert client.get(f"/escuelas/{w['a'].cct}/contacto").status_code == 403
    assert client.get("/contactos/2147483648").status_code == 404
    assert db.session.scalar(db.select(db.func.count(ContactMessage.id))) == 2


def test_public_profile_of_another_zone(client, world):
    w = world
    db.session.execute(db.update(type(w["practice_b"])).values(is_recognised=True))
    db.session.commit()
    _login(client, w["dir_a"])
    page = client.get(f"/escuelas/{w['b'].cct}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Perfil público" in html and "Tutoría entre pares" in html and "Buena práctica reconocida" in html
    assert "Escribir a la dirección" in html
    # no personal data, no records of the school
    assert w["dir_b"].name not in html and w["teacher_b"].name not in html
    assert "Cuaderno de Bitácora" not in html
    problem_b = factories.create_problem(w["b"], title="Ausentismo en sexto")
    html = client.get(f"/escuelas/{w['b'].cct}").get_data(as_text=True)
    assert "Ausentismo en sexto" in html and f"/problematicas/{problem_b.id}" not in html
    # the own zone still gets the full page
    _login(client, w["sup_b"])
    html = client.get(f"/escuelas/{w['b'].cct}").get_data(as_text=True)
    assert "Perfil público" not in html and w["dir_b"].name in html


def test_anonymous_gets_the_login_page(client, world):
    assert client.get(f"/escuelas/{world['b'].cct}").status_code == 302
    assert client.get("/contactos").status_code == 302
