"""Communities of practice (issue 14): propose, join across zones, post tied to a problem or
practice, reply, *me sirvió*, follow notices, moderation recorded, private names, the pages."""

from __future__ import annotations

import re

import pytest
from flask import g

from app.communities import services
from app.communities.models import Community, CommunityPost, ModerationRecord
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
    factories.get_category("lectura-escritura")
    db.session.commit()
    return {
        "a": a,
        "b": b,
        "leader": factories.create_user("asesor", name="Asesora Luz"),
        "teacher_a": factories.create_user("docente", school=a, name="Maestra Ana"),
        "teacher_b": factories.create_user("docente", school=b, name="Maestro Beto"),
        "problem_a": factories.create_problem(
            a, title="Lectura en 2°", categories={"lectura-escritura": "alta"}
        ),
        "practice_b": factories.create_practice(b, title="Tutoría entre pares", visibility="todos"),
    }


def _community(w):
    c = services.propose_community(
        {
            "name": "Lectura y escritura en escuelas multigrado",
            "description": "Para escuelas que enseñan a leer en grupos multigrado.",
            "categories": ["lectura-escritura"],
        },
        actor=w["leader"],
    )
    db.session.commit()
    return c


def _notes(user):
    return list(db.session.execute(db.select(Notification).filter_by(user_id=user.id)).scalars())


def test_propose_refuses_bad_input_in_spanish(world):
    cases = [
        ({"name": "", "description": "x", "categories": ["lectura-escritura"]}, "name"),
        ({"name": "N" * 121, "description": "x", "categories": ["lectura-escritura"]}, "name"),
        ({"name": "Nombre", "description": "", "categories": ["lectura-escritura"]}, "description"),
        ({"name": "Nombre", "description": "x", "categories": []}, "categories"),
        ({"name": "Nombre", "description": "x", "categories": ["no-existe"]}, "categories"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as raised:
            services.propose_community(data, actor=world["leader"])
        assert field in raised.value.errors, data
        db.session.rollback()
    _community(world)
    with pytest.raises(ValidationError) as raised:  # the same name twice
        services.propose_community(
            {
                "name": "lectura y escritura en escuelas MULTIGRADO",
                "description": "x",
                "categories": ["lectura-escritura"],
            },
            actor=world["teacher_a"],
        )
    assert "Ya existe" in raised.value.errors["name"]


def test_members_of_two_zones_post_reply_react_and_followers_are_notified(world):
    w = world
    c = _community(w)
    with pytest.raises(PermissionDenied):  # not a member yet
        services.add_post(c, {"body": "Hola"}, actor=w["teacher_a"])
    services.join(c, actor=w["teacher_a"])
    services.join(c, actor=w["teacher_b"])
    with pytest.raises(PermissionDenied):
        services.join(c, actor=w["teacher_b"])  # once
    post = services.add_post(
        c,
        {"body": "Así organizamos las parejas.", "practice_id": str(w["practice_b"].id)},
        actor=w["teacher_b"],
    )
    db.session.commit()
    assert post.practice_id == w["practice_b"].id and post.school_id == w["b"].id
    assert any("JUSTO SIERRA" in n.message for n in _notes(w["teacher_a"]))  # following by default
    assert _notes(w["teacher_b"]) == []  # not about one's own post
    reply = services.add_post(c, {"body": "¿Cuántos minutos al día?"}, actor=w["teacher_a"], parent=post)
    db.session.commit()
    assert reply.parent_id == post.id
    assert any("respondió" in n.message for n in _notes(w["teacher_b"]))
    with pytest.raises(ValidationError):  # no reply to a reply
        services.add_post(c, {"body": "Una más"}, actor=w["teacher_b"], parent=reply)
    assert services.toggle_reaction(post, actor=w["teacher_a"]) is True
    assert services.toggle_reaction(post, actor=w["teacher_a"]) is False
    services.set_following(c, False, actor=w["teacher_a"])
    services.add_post(c, {"body": "Otra publicación"}, actor=w["teacher_b"])
    db.session.commit()
    assert not any("Otra publicación" in n.message for n in _notes(w["teacher_a"]))


def test_a_post_links_only_what_its_author_may_link(world):
    w = world
    c = _community(w)
    services.join(c, actor=w["teacher_a"])
    other_problem = factories.create_problem(w["b"], title="Ajena")
    hidden = factories.create_practice(w["b"], title="Privada", visibility="escuela")
    for data, field in (
        ({"body": "x", "problem_id": str(other_problem.id)}, "problem_id"),  # another school's problem
        ({"body": "x", "practice_id": str(hidden.id)}, "practice_id"),
        ({"body": "x", "practice_id": "2147483648"}, "practice_id"),
        ({"body": "", "problem_id": str(w["problem_a"].id)}, "body"),
        ({"body": "x" * 3001}, "body"),
    ):
        with pytest.raises(ValidationError) as raised:
            services.add_post(c, data, actor=w["teacher_a"])
        assert field in raised.value.errors, data
    assert db.session.scalar(db.select(db.func.count(CommunityPost.id))) == 0


def test_moderation_is_for_leaders_and_recorded(world):
    w = world
    c = _community(w)
    member_a = services.join(c, actor=w["teacher_a"])
    services.join(c, actor=w["teacher_b"])
    post = services.add_post(c, {"body": "Publicidad de un curso"}, actor=w["teacher_b"])
    db.session.commit()
    with pytest.raises(PermissionDenied):
        services.hide_post(post, {"reason": "No"}, actor=w["teacher_a"])
    with pytest.raises(ValidationError):
        services.hide_post(post, {"reason": ""}, actor=w["leader"])
    services.hide_post(post, {"reason": "No es del tema de la comunidad"}, actor=w["leader"])
    with pytest.raises(ValidationError):
        services.pin_post(post, True, actor=w["leader"])  # a hidden post is not a resource
    services.make_leader(c, member_a.id, actor=w["leader"])
    member_b = next(m for m in c.members if m.user_id == w["teacher_b"].id)
    services.remove_member(c, member_b.id, {"reason": "Publicidad repetida"}, actor=w["teacher_a"])
    db.session.commit()
    actions = [(r.action, r.reason) for r in db.session.execute(db.select(ModerationRecord)).scalars()]
    assert actions == [
        ("ocultar", "No es del tema de la comunidad"),
        ("nombrar_lider", None),
        ("quitar", "Publicidad repetida"),
    ]
    assert w["teacher_b"].id not in {m.user_id for m in c.members}


def test_the_last_leader_names_another_before_leaving(world):
    w = world
    c = _community(w)
    services.join(c, actor=w["teacher_a"])
    with pytest.raises(ValidationError):
        services.leave(c, actor=w["leader"])
    services.leave(c, actor=w["teacher_a"])
    services.leave(c, actor=w["leader"])  # alone now: may leave
    db.session.commit()
    assert db.session.get(Community, c.id).members == []


# --- pages ---------------------------------------------------------------------------------------


def _login(client, user):
    with client.session_transaction() as sess:
        factories.log_in(sess, user)
    g.pop("_login_user", None)


def test_pages_names_private_to_members_and_posts_escaped(client, world):
    w = world
    c = _community(w)
    services.join(c, actor=w["teacher_b"])
    services.add_post(c, {"body": "<script>alert(1)</script> Parejas lectoras"}, actor=w["teacher_b"])
    db.session.commit()
    _login(client, w["teacher_a"])  # not a member
    html = client.get(f"/comunidades/{c.id}").get_data(as_text=True)
    assert "JUSTO SIERRA" in html and "Maestro Beto" not in html and "Asesora Luz" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Parejas lectoras" in html and "<script>alert" not in html
    assert client.post(f"/comunidades/{c.id}/publicar", data={"body": "Hola"}).status_code == 403
    assert client.post(f"/comunidades/{c.id}/unirse").status_code == 302
    html = client.get(f"/comunidades/{c.id}").get_data(as_text=True)
    assert "Maestro Beto" in html  # a member now
    refused = client.post(f"/comunidades/{c.id}/publicar", data={"body": "", "problem_id": ""})
    assert refused.status_code == 422 and "Escribe tu publicación." in refused.get_data(as_text=True)
    sent = client.post(
        f"/comunidades/{c.id}/publicar",
        data={"body": "Probamos lectura en voz alta", "problem_id": str(w["problem_a"].id)},
    )
    assert sent.status_code == 302 and "#publicacion-" in sent.headers["Location"]
    listing = client.get("/comunidades").get_data(as_text=True)
    assert "Lectura y escritura en escuelas multigrado" in listing and "2 zonas" in listing


def test_pages_permissions(client, world):
    w = world
    c = _community(w)
    assert client.get("/comunidades").status_code == 302  # anonymous: to the login page
    _login(client, w["teacher_a"])
    assert client.get(f"/comunidades/{c.id}").status_code == 200
    assert client.get("/comunidades/2147483648").status_code == 404
    post = services.add_post(c, {"body": "Del líder"}, actor=w["leader"])
    db.session.commit()
    assert (
        client.post(
            f"/comunidades/publicaciones/{post.id}/ocultar", data={f"h{post.id}-reason": "x"}
        ).status_code
        == 403
    )
    assert client.post(f"/comunidades/publicaciones/{post.id}/fijar", data={"fijar": "1"}).status_code == 403
    _login(client, w["leader"])
    assert client.post(f"/comunidades/publicaciones/{post.id}/fijar", data={"fijar": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CommunityPost, post.id).is_pinned
    admin = factories.create_user("admin")
    _login(client, admin)
    assert client.get("/comunidades/nueva").status_code == 200


def test_a_supervisor_leading_a_community_schedules_its_online_meeting_with_its_zones(client, world):
    from app.encounters.queries import zones_for_scheduler

    w = world
    supervisor = factories.create_user("supervisor", zone=w["a"].zone)
    assert w["b"].zone not in zones_for_scheduler(supervisor)
    community = services.propose_community(
        {
            "name": "Lectura multigrado",
            "description": "Leer en grupos multigrado.",
            "categories": ["lectura-escritura"],
        },
        actor=supervisor,
    )
    services.join(community, actor=w["teacher_a"])
    services.join(community, actor=w["teacher_b"])
    db.session.commit()
    assert w["b"].zone in zones_for_scheduler(supervisor)
    _login(client, supervisor)
    html = client.get(f"/comunidades/{community.id}").get_data(as_text=True)
    zones = ",".join(str(z) for z in sorted({w["a"].zone_id, w["b"].zone_id}))
    assert f"/encuentros/nuevo?zonas={zones}&amp;modalidad=en_linea" in html
    form = client.get(f"/encuentros/nuevo?zonas={zones}&modalidad=en_linea&titulo=Reuni%C3%B3n").get_data(
        as_text=True
    )
    checked = re.findall(r'id="zone-(\d+)"\s*checked', form)
    assert sorted(map(int, checked)) == sorted({w["a"].zone_id, w["b"].zone_id})
    assert re.search(r'<input checked[^>]*value="en_linea"', form)


def test_suggested_from_the_graph_and_who_could_join(client, world):
    """Issue 14: schools of several zones with the same open problems are suggested as a community;
    once it exists, its members see which schools are in no community yet and share its problems."""
    w = world
    third = factories.create_school(factories.create_zone(), name="CUAUHTÉMOC")
    factories.create_problem(w["b"], title="Leer", categories={"lectura-escritura": "alta"})
    factories.create_problem(third, title="Lectura", categories={"lectura-escritura": "media"})
    factories.create_problem(
        factories.create_school(), title="Convivencia", categories={"convivencia": "alta"}
    )
    _login(client, w["teacher_a"])
    html = client.get("/comunidades").get_data(as_text=True)
    section = html.split('id="sugeridas"')[1].split("</section>")[0]
    assert "3 escuelas de 3 zonas" in section and "Su escuela está entre ellas" in section
    assert "3 aún no están en ninguna comunidad" in section
    assert "/comunidades/nueva?categoria=lectura-escritura" in section
    form = client.get("/comunidades/nueva?categoria=lectura-escritura&nombre=Lectura").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="lectura-escritura"', form)

    community = _community(w)  # the advisor's; teacher A joins it
    services.join(community, actor=w["teacher_a"])
    db.session.commit()
    html = client.get(f"/comunidades/{community.id}").get_data(as_text=True)
    could = html.split('id="podrian-unirse"')[1].split("</section>")[0]
    assert "JUSTO SIERRA" in could and "CUAUHTÉMOC" in could and "NIÑOS HÉROES" not in could
    section = (
        client.get("/comunidades").get_data(as_text=True).split('id="sugeridas"')[1].split("</section>")[0]
    )
    assert "2 aún no están en ninguna comunidad" in section


def test_evidence_on_a_post_goes_through_the_upload_checks_and_is_for_members(client, world, app):
    import io

    w = world
    community = _community(w)
    services.join(community, actor=w["teacher_a"])
    db.session.commit()
    _login(client, w["teacher_a"])
    refused = client.post(
        f"/comunidades/{community.id}/publicar",
        data={
            "body": "Nuestro cartel de lectura",
            "evidence": (io.BytesIO(b"MZ not an image"), "cartel.png"),
        },
        content_type="multipart/form-data",
    )
    html = refused.get_data(as_text=True)
    assert (
        refused.status_code == 422
        and "Solo se aceptan imágenes" in html
        and "Nuestro cartel de lectura" in html
    )
    assert db.session.scalar(db.select(db.func.count(CommunityPost.id))) == 0
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (0, 112, 74)).save(buffer, "PNG")
    sent = client.post(
        f"/comunidades/{community.id}/publicar",
        data={"body": "Nuestro cartel de lectura", "evidence": (io.BytesIO(buffer.getvalue()), "cartel.png")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    post = db.session.execute(db.select(CommunityPost)).scalar_one()
    assert post.evidence_mime == "image/png" and post.evidence_name
    image = client.get(f"/comunidades/publicaciones/{post.id}/evidencia")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert client.get(f"/comunidades/publicaciones/{post.id}/miniatura").status_code in (200, 302)
    assert f"/comunidades/publicaciones/{post.id}/miniatura" in client.get(
        f"/comunidades/{community.id}"
    ).get_data(as_text=True)
    _login(client, w["teacher_b"])  # not a member: classroom pictures are not public
    assert client.get(f"/comunidades/publicaciones/{post.id}/evidencia").status_code == 403


def test_the_daily_digest_reaches_only_who_asked_for_it(app, client, world, monkeypatch):
    w = world
    sent = []
    monkeypatch.setattr("app.auth.mail.send_mail", lambda to, subject, body: sent.append((to, subject, body)))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.mx")
    community = _community(w)
    services.join(community, actor=w["teacher_a"])
    services.join(community, actor=w["teacher_b"])
    db.session.commit()
    _login(client, w["teacher_a"])
    html = client.get(f"/comunidades/{community.id}").get_data(as_text=True)
    assert "Recibir un correo al día con lo nuevo" in html
    assert client.post(f"/comunidades/{community.id}/resumen", data={"resumen": "1"}).status_code == 302
    services.add_post(community, {"body": "Mi propia publicación"}, actor=w["teacher_a"])
    services.add_post(community, {"body": "Probamos las parejas lectoras"}, actor=w["teacher_b"])
    hidden = services.add_post(community, {"body": "Publicidad"}, actor=w["teacher_b"])
    services.hide_post(hidden, {"reason": "Fuera de tema"}, actor=w["leader"])
    db.session.commit()
    sent.clear()  # the notices of the posts themselves are not the digest
    result = app.test_cli_runner().invoke(args=["communities", "digest"])
    assert result.exit_code == 0 and "1 resúmenes enviados" in result.output
    [(to, subject, body)] = sent
    assert to == w["teacher_a"].email and "comunidades" in subject
    assert "Probamos las parejas lectoras" in body and "JUSTO SIERRA" in body
    assert "Mi propia publicación" not in body and "Publicidad" not in body


def test_leaders_see_the_communitys_participation_and_its_quiet_schools(client, world):
    """Issue 14: participation as the community's health, for its leaders."""
    w = world
    community = _community(w)
    services.join(community, actor=w["teacher_a"])
    services.join(community, actor=w["teacher_b"])
    post = services.add_post(community, {"body": "Leemos en parejas"}, actor=w["teacher_b"])
    services.add_post(community, {"body": "¿Desde qué grado?"}, actor=w["teacher_b"], parent=post)
    db.session.commit()
    _login(client, w["teacher_a"])  # a member, not a leader
    assert 'id="participacion"' not in client.get(f"/comunidades/{community.id}").get_data(as_text=True)
    _login(client, w["leader"])
    html = client.get(f"/comunidades/{community.id}").get_data(as_text=True)
    section = html.split('id="participacion"')[1].split("</section>")[0]
    this_month = section.split("<tr data-month=")[-1]
    assert '"Escuelas que participaron">1<' in this_month
    assert '"Publicaciones">1<' in this_month and '"Respuestas">1<' in this_month
    assert "NIÑOS HÉROES" in section.split('id="quiet-schools"')[1] and "JUSTO SIERRA" not in section
