"""JSON input/output of the grouping command."""

import json

import pytest

from network.io import GroupingInputError, group_from_json, parse_grouping_input


@pytest.mark.parametrize(
    "obj, message",
    [
        ("{no es json", "no es JSON válido"),
        ([1, 2], "objeto JSON con la clave 'schools'"),
        ({}, "Falta la clave 'schools'"),
        ({"schools": {"id": 1}}, "'schools' debe ser una lista"),
        ({"schools": [{"id": 1}, {"id": 2}, {"zone": "Z"}]}, "La escuela en la posición 3 no tiene 'id'"),
        ({"schools": [{"id": 1}, "x"]}, "La escuela en la posición 2 no es un objeto JSON"),
        ({"schools": [{"id": None}]}, "no tiene 'id'"),
        ({"schools": [{"id": [1]}]}, "'id' debe ser texto o entero"),
        ({"schools": [{"id": 1}, {"id": 1}]}, "repite el id 1 (ya usado en la posición 1)"),
        ({"schools": [{"id": 1, "profile": [1]}]}, "'profile' debe ser un objeto"),
        (
            {"schools": [{"id": 1, "profile": {"convivencia": "muy alta"}}]},
            "el peso de la categoría 'convivencia' no es válido",
        ),
        ({"schools": [{"id": 1, "profile": {"convivencia": -2}}]}, "no es válido"),
        ({"schools": [{"id": 1, "lat": "norte"}]}, "'lat' debe ser un número"),
        ({"schools": [{"id": 1, "lat": 120, "lon": 0}]}, "'lat' fuera de rango"),
        ({"schools": [{"id": 1, "lon": True}]}, "'lon' debe ser un número"),
        ({"schools": [{"id": 1, "zone": {"a": 1}}]}, "'zone' debe ser texto o entero"),
    ],
)
def test_malformed_input_messages(obj, message):
    with pytest.raises(GroupingInputError) as error:
        parse_grouping_input(obj)
    assert message in str(error.value)
    assert isinstance(error.value, ValueError)


def test_parse_normalises_values():
    text = json.dumps(
        {
            "schools": [
                {
                    "id": "A",
                    "lat": "20.6",
                    "lon": -100.4,
                    "profile": {"convivencia": "baja", "lenguaje-oral": 2},
                }
            ]
        }
    )
    (school,) = parse_grouping_input(text)
    assert school["lat"] == 20.6 and school["profile"] == {"convivencia": 1.0, "lenguaje-oral": 2.0}


def test_group_from_json_output_shape():
    schools = [
        {
            "id": f"S{k}",
            "zone": "Z1" if k < 5 else "Z2",
            "level": "primaria",
            "lat": 20.5934,
            "lon": -100.39,
            "profile": {"convivencia": 1 + k % 3},
        }
        for k in range(9)
    ]
    out = group_from_json({"schools": schools}, min_size=2, max_size=3, seed=1)
    json.dumps(out)  # serialisable
    assert set(out) == {"groups", "objective"}
    for group in out["groups"]:
        assert set(group) == {"schools", "host", "score", "shared", "zone"}
        assert group["host"] in group["schools"]
        assert 2 <= len(group["schools"]) <= 3
    assert out["objective"] == pytest.approx(
        sum(g["score"] * len(g["schools"]) for g in out["groups"]), abs=1e-5
    )
    assert out == group_from_json({"schools": schools[::-1]}, min_size=2, max_size=3, seed=1)


def test_group_from_json_rejects_bad_sizes():
    with pytest.raises(GroupingInputError):
        group_from_json({"schools": []}, min_size=3, max_size=2)
    assert group_from_json({"schools": []}) == {"groups": [], "objective": 0.0}
