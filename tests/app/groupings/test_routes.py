import json

import pytest

from app.extensions import db
from app.groupings import services
from app.groupings.models import Grouping
from app.groupings.reasons import in_sentence
from tests import factories


def _actor(kind: str, zone, schools):
    other_zone = factories.create_zone()
    return {
        "admin": lambda: factories.create_user("admin"),
        "supervisor": lambda: factories.create_user("supervisor", zone=zone),
        "supervisor_otra_zona": lambda: factories.create_user("supervisor", zone=other_zone),
        "asesor_asignado": lambda: _advisor(zone),
        "asesor_no_asignado": lambda: factories.create_user("asesor"),
        "director": lambda: factories.create_user("director", school=schools[0]),
        "docente": lambda: factories.create_user("docente", school=schools[0]),
    }[kind]()


def _advisor(zone):
    user = factories.create_user("asesor")
    user.advised_zones.append(zone)
    db.session.commit()
    return user


# (role, page) -> allowed
VIEW = {
    "admin": True,
    "supervisor": True,
    "asesor_asignado": True,
    "supervisor_otra_zona": False,
    "asesor_no_asignado": False,
    "director": False,
    "docente": False,
}
EDIT = {
    "admin": True,
    "supervisor": True,
    "asesor_asignado": False,
    "supervisor_otra_zona": False,
    "asesor_no_asignado": False,
    "director": False,
    "docente": False,
}


@pytest.mark.parametrize("role", list(VIEW))
@pytest.mark.parametrize("page", ["propose_page", "detail_page"])
def test_permission_table_view(client, login_as, zone_with_problems, role, page):
    zone, schools, _ = zone_with_problems
    owner = factories.create_user("supervisor", zone=zone)
    grouping = services.propose_grouping(zone, {}, actor=owner)
    db.session.commit()
    login_as(_actor(role, zone, schools))
    url = f"/zonas/{zone.cct}/agrupamientos" if page == "propose_page" else f"/agrupamientos/{grouping.id}"
    response = client.get(url)
    assert response.status_code == (200 if VIEW[role] else 403)


@pytest.mark.parametrize("role", list(EDIT))
@pytest.mark.parametrize("action", ["propose", "move", "host", "accept"])
def test_permission_table_edit(client, login_as, zone_with_problems, role, action):
    zone, schools, _ = zone_with_problems
    owner = factories.create_user("supervisor", zone=zone)
    grouping = services.propose_grouping(zone, {"max_size": 2}, actor=owner)
    db.session.commit()
    group = grouping.groups[0]
    member = group.members[-1].school_id
    login_as(_actor(role, zone, schools))
    url, data = {
        "propose": (f"/zonas/{zone.cct}/agrupamientos", {"min_size": 2, "max_size": 3}),
        "move": (f"/agrupamientos/{grouping.id}/mover", {"school_id": member, "target": "nuevo"}),
        "host": (f"/agrupamientos/{grouping.id}/grupos/{group.position}/sede", {"school_id": member}),
        "accept": (f"/agrupamientos/{grouping.id}/aceptar", {}),
    }[action]
    response = client.post(url, data=data)
    if EDIT[role]:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        db.session.expire_all()
        assert db.session.scalar(db.select(db.func.count(Grouping.id))) == 1
        assert db.session.get(Grouping, grouping.id).status == "propuesta"


def test_anonymous_is_sent_to_login(client, zone_with_problems):
    zone, _, _ = zone_with_problems
    response = client.get(f"/zonas/{zone.cct}/agrupamientos")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_propose_move_and_accept_through_the_pages(client, login_as, zone_with_problems):
    zone, schools, _ = zone_with_problems
    login_as("supervisor", zone=zone)
    response = client.post(f"/zonas/{zone.cct}/agrupamientos", data={"min_size": 2, "max_size": 2})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Propuesta de agrupamiento" in page and "<svg" in page
    math = in_sentence(factories.get_category("pensamiento-matematico").name)
    assert f"Las dos escuelas trabajan en <em>{math}</em>" in page  # what they share, by name
    assert "Afinidad total: 6.00 de 6 posibles" in page  # a number only with what it means
    grouping = db.session.execute(db.select(Grouping)).scalar_one()
    client.post(f"/agrupamientos/{grouping.id}/mover", data={"school_id": schools[0].id, "target": "nuevo"})
    page = client.get(f"/agrupamientos/{grouping.id}").get_data(as_text=True)
    assert "Grupo 4" in page and "Afinidad total: 4.00 de 6 posibles" in page
    client.post(f"/agrupamientos/{grouping.id}/aceptar")
    page = client.get(f"/agrupamientos/{grouping.id}").get_data(as_text=True)
    assert "Agrupamiento aceptado" in page and "Mover a" not in page
    assert f"/encuentros/nuevo?agrupamiento={grouping.id}" in page


def test_bad_options_keep_what_was_typed(client, login_as, zone_with_problems):
    zone, _, _ = zone_with_problems
    login_as("supervisor", zone=zone)
    response = client.post(
        f"/zonas/{zone.cct}/agrupamientos", data={"min_size": 3, "max_size": 2, "max_distance_km": "15"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "El máximo no puede ser menor que el mínimo." in page
    assert 'value="15"' in page or 'value="15.0"' in page


def test_unknown_ids_are_404(client, login_as, zone_with_problems):
    login_as("admin")
    assert client.get("/zonas/22XXX9999Z/agrupamientos").status_code == 404
    assert client.get("/agrupamientos/999").status_code == 404
    assert client.post("/agrupamientos/999/mover", data={}).status_code == 404


def test_cli_groups_a_json_file(app, tmp_path, db):
    source = tmp_path / "in.json"
    source.write_text(
        json.dumps(
            {
                "schools": [
                    {
                        "id": "A",
                        "zone": "Z",
                        "level": "primaria",
                        "lat": None,
                        "lon": None,
                        "profile": {"convivencia": 3},
                    },
                    {
                        "id": "B",
                        "zone": "Z",
                        "level": "primaria",
                        "lat": None,
                        "lon": None,
                        "profile": {"convivencia": 2},
                    },
                    {
                        "id": "C",
                        "zone": "Z",
                        "level": "primaria",
                        "lat": None,
                        "lon": None,
                        "profile": {"lectura-escritura": 3},
                    },
                    {
                        "id": "D",
                        "zone": "Z",
                        "level": "primaria",
                        "lat": None,
                        "lon": None,
                        "profile": {"lectura-escritura": 3},
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    result = app.test_cli_runner().invoke(
        args=["network", "group", "--input", str(source), "--output", str(out), "--max-size", "2"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(sorted(g["schools"]) for g in data["groups"]) == [["A", "B"], ["C", "D"]]
    assert data["objective"] == pytest.approx(2 * (2 / 3) + 2 * 1.0)


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "no es JSON válido"),
        ('{"schools": [{"zone": "Z"}]}', "id"),
        ('{"escuelas": []}', "schools"),
    ],
)
def test_cli_malformed_input_gets_a_clear_message(app, tmp_path, db, content, message):
    source = tmp_path / "bad.json"
    source.write_text(content, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["network", "group", "--input", str(source)])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_groups_a_zone_of_the_database(app, zone_with_problems):
    zone, _, _ = zone_with_problems
    result = app.test_cli_runner().invoke(args=["network", "group", "--zone", zone.cct, "--max-size", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["zone"] == zone.cct and data["objective"] == pytest.approx(6.0)
    assert sorted(sorted(g["schools"]) for g in data["groups"])[0] == ["22DPR0100A", "22DPR0101A"]
    missing = app.test_cli_runner().invoke(args=["network", "group", "--zone", "22XXX0000X"])
    assert missing.exit_code != 0 and "No hay una zona" in missing.output
