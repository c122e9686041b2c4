"""Mentoring's services (issue 14): offers and requests refused in Spanish naming the field, the
leader's suggestions from network.mentoring with their reasons in words and within capacity, the
leader-only confirmation, acceptance and decline, the plan, the sessions and the closing (into the
mentee school's bitácora)."""

from __future__ import annotations

import re

import pytest

from app.encounters.models import Notification
from app.extensions import db
from app.logbook.models import LogbookEntry
from app.mentoring import services
from app.mentoring.models import MentoringPair
from app.problems.models import Problem
from app.validation import PermissionDenied, ValidationError


def _notes(user) -> list[str]:
    return [
        n.message for n in db.session.execute(db.select(Notification).filter_by(user_id=user.id)).scalars()
    ]


def _offer(user, category, capacity=1, note=""):
    offer = services.save_offer(
        {"categories": [str(category.id)], "capacity": capacity, "note": note}, actor=user
    )
    db.session.commit()
    return offer


def _ask(user, about, kind="docente_novel"):
    request = services.create_request({"kind": kind, "about": about, "note": "Soy nueva."}, actor=user)
    db.session.commit()
    return request


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"categories": [], "capacity": "2"}, "categories", "categoría"),
        ({"categories": ["999999"], "capacity": "2"}, "categories", "categoría"),
        ({"capacity": "0"}, "capacity", "de 1 a 5"),
        ({"capacity": "6"}, "capacity", "de 1 a 5"),
        ({"capacity": "dos"}, "capacity", "de 1 a 5"),
        ({"capacity": "2", "note": "x" * 501}, "note", "500"),
    ],
)
def test_a_bad_offer_names_the_field_in_spanish(world, data, field, words):
    data = {"categories": [str(world["reading"].id)], **data}
    with pytest.raises(ValidationError) as caught:
        services.save_offer(data, actor=world["mentor_b"])
    assert words in caught.value.errors[field]
    db.session.rollback()
    assert services.offer_of(world["mentor_b"]) is None


def test_an_offer_shows_the_schools_evidence_and_can_be_changed(world):
    offer = _offer(world["mentor_b"], world["reading"], capacity=2, note="Por videollamada")
    [row] = services.offer_evidence(offer)
    assert row["count"] == 2
    assert row["words"] == "1 práctica con buenos resultados, 1 problemática resuelta"
    again = _offer(world["mentor_b"], world["maths"], capacity=3)
    assert (
        again.id == offer.id
        and again.capacity == 3
        and [c.code for c in again.categories] == ["pensamiento-matematico"]
    )
    assert services.offer_evidence(again)[0]["words"] == "sin evidencia registrada todavía"


def test_only_people_of_a_school_offer_and_ask(world):
    for user in (world["sup_a"], world["advisor_a"], world["admin"]):
        with pytest.raises(PermissionDenied):
            services.save_offer({"categories": [str(world["reading"].id)], "capacity": 1}, actor=user)
        with pytest.raises(PermissionDenied):
            services.create_request(
                {"kind": "escuela", "about": f"categoria-{world['reading'].id}"}, actor=user
            )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "", "about": "categoria-{reading}"}, "kind"),
        ({"kind": "jefe", "about": "categoria-{reading}"}, "kind"),
        ({"kind": "escuela", "about": ""}, "about"),
        ({"kind": "escuela", "about": "problema-{other}"}, "about"),  # another school's problem
        ({"kind": "escuela", "about": "categoria-abc"}, "about"),
        ({"kind": "escuela", "about": "categoria-{reading}", "note": "x" * 501}, "note"),
    ],
)
def test_a_bad_request_names_the_field_in_spanish(world, data, field):
    other = db.session.execute(db.select(Problem).filter_by(school_id=world["b"].id)).scalar_one()
    data = {k: v.format(reading=world["reading"].id, other=other.id) for k, v in data.items()}
    with pytest.raises(ValidationError) as caught:
        services.create_request(data, actor=world["teacher_a"])
    expected = {"kind": "Elige quién pide", "about": "Elige una problemática", "note": "500"}[field]
    assert expected in caught.value.errors[field]
    db.session.rollback()
    assert services.requests_of(world["teacher_a"]) == []


def test_a_request_reaches_the_zone_leaders_and_a_second_on_the_same_topic_is_refused(world):
    request = _ask(world["teacher_a"], f"problema-{world['problem_a'].id}")
    assert request.status == "abierta" and [c.code for c in request.categories] == ["lenguaje-comunicacion"]
    assert any("NIÑOS HÉROES pide mentoría" in m for m in _notes(world["sup_a"]))
    assert any("NIÑOS HÉROES pide mentoría" in m for m in _notes(world["advisor_a"]))
    assert _notes(world["sup_b"]) == []
    with pytest.raises(ValidationError) as caught:
        services.create_request(
            {"kind": "docente_novel", "about": f"problema-{world['problem_a'].id}"}, actor=world["teacher_a"]
        )
    assert "Ya pediste" in caught.value.errors["about"]


def test_suggestions_respect_capacity_and_say_why_in_words(world):
    w = world
    _offer(w["mentor_b"], w["reading"], capacity=1)
    first = _ask(w["teacher_a"], f"problema-{w['problem_a'].id}")
    second = _ask(w["teacher_a2"], f"categoria-{w['reading'].id}")
    [only] = services.suggestions(w["sup_a"])  # one mentor with room for one
    assert only["offer"].user == w["mentor_b"] and only["request"] in (first, second)
    reasons = " ".join(only["reasons"])
    assert "Tienen en común: lenguaje comunicacion." in reasons
    assert (
        "JUSTO SIERRA, en lenguaje comunicacion: 1 práctica con buenos resultados, 1 problemática resuelta."
        in reasons
    )
    assert "Mismo nivel: primaria." in reasons and "Mentoría entre zonas" in reasons
    assert not re.search(r"\d[.,]\d", reasons)  # no bare decimals
    _offer(w["mentor_c"], w["reading"], capacity=1)
    pairs = services.suggestions(w["sup_a"])
    assert {(p["request"].id, p["offer"].user.name) for p in pairs} >= {(first.id, "Maestra Sol")} or len(
        pairs
    ) == 2
    assert len(pairs) == 2 and len({p["offer"].id for p in pairs}) == 2
    assert services.suggestions(w["sup_b"]) == []  # not their zone's requests


def test_a_mentor_is_never_suggested_for_their_own_school(world):
    _offer(world["dir_a"], world["reading"], capacity=5)
    db.session.commit()
    _ask(world["teacher_a"], f"categoria-{world['reading'].id}")
    assert services.suggestions(world["admin"]) == []


def test_only_a_leader_of_the_requests_zone_confirms_and_capacity_is_kept(world):
    w = world
    offer = _offer(w["mentor_b"], w["reading"], capacity=1)
    first = _ask(w["teacher_a"], f"problema-{w['problem_a'].id}")
    second = _ask(w["teacher_a2"], f"categoria-{w['reading'].id}")
    for outsider in (w["sup_b"], w["teacher_a"], w["dir_a"], w["mentor_b"]):
        with pytest.raises(PermissionDenied):
            services.confirm_pair(first, offer, actor=outsider)
    pair = services.confirm_pair(first, offer, actor=w["advisor_a"])
    db.session.commit()
    assert pair.status == "propuesta" and first.status == "emparejada" and "Tienen en común" in pair.reason
    assert any("Te proponen como mentor(a) de NIÑOS HÉROES" in m for m in _notes(w["mentor_b"]))
    assert any("Te proponen a Maestra Sol (JUSTO SIERRA)" in m for m in _notes(w["teacher_a"]))
    with pytest.raises(ValidationError) as caught:
        services.confirm_pair(second, offer, actor=w["sup_a"])
    assert "ya acompaña a todas las personas que puede (1)" in caught.value.errors["_"]
    with pytest.raises(ValidationError):
        services.confirm_pair(first, offer, actor=w["sup_a"])  # already paired
    assert services.suggestions(w["sup_a"]) == []  # no room left


def _confirmed(w):
    offer = _offer(w["mentor_b"], w["reading"], capacity=2)
    request = _ask(w["teacher_a"], f"problema-{w['problem_a'].id}")
    pair = services.confirm_pair(request, offer, actor=w["sup_a"])
    db.session.commit()
    return pair


def test_both_accept_then_the_pair_is_active(world):
    w = world
    pair = _confirmed(w)
    with pytest.raises(PermissionDenied):
        services.answer_pair(pair, True, actor=w["sup_a"])
    services.answer_pair(pair, True, actor=w["mentor_b"])
    assert pair.status == "propuesta" and pair.mentor_accepted_at is not None
    with pytest.raises(PermissionDenied):
        services.answer_pair(pair, True, actor=w["mentor_b"])  # their side is answered
    services.answer_pair(pair, True, actor=w["teacher_a"])
    db.session.commit()
    assert pair.status == "activa" and pair.request.status == "activa"
    assert any("comenzó" in m for m in _notes(w["mentor_b"]))


def test_a_decline_frees_the_request_and_the_place(world):
    w = world
    pair = _confirmed(w)
    services.answer_pair(pair, False, actor=w["teacher_a"])
    db.session.commit()
    assert pair.status == "rechazada" and pair.request.status == "abierta"
    assert any("Ana Novel declinó" in m for m in _notes(w["sup_a"]))
    assert any("Ana Novel declinó" in m for m in _notes(w["mentor_b"]))
    assert services.loads([pair.offer_id]) == {}
    with pytest.raises(PermissionDenied):
        services.answer_pair(pair, True, actor=w["mentor_b"])


def test_plan_sessions_and_closing_into_the_bitacora(world):
    w = world
    pair = _confirmed(w)
    with pytest.raises(PermissionDenied):  # not active yet
        services.save_plan(
            pair, {"goals": "Leer", "starts_on": "2027-01-10", "ends_on": "2027-03-10"}, actor=w["mentor_b"]
        )
    services.answer_pair(pair, True, actor=w["mentor_b"])
    services.answer_pair(pair, True, actor=w["teacher_a"])
    with pytest.raises(ValidationError) as caught:
        services.save_plan(
            pair, {"goals": "", "starts_on": "10/01/2027", "ends_on": ""}, actor=w["teacher_a"]
        )
    assert set(caught.value.errors) == {"goals", "starts_on", "ends_on"}
    assert "AAAA-MM-DD" in caught.value.errors["starts_on"]
    with pytest.raises(ValidationError) as caught:
        services.save_plan(
            pair, {"goals": "Leer", "starts_on": "2027-03-10", "ends_on": "2027-01-10"}, actor=w["teacher_a"]
        )
    assert "posterior" in caught.value.errors["ends_on"]
    services.save_plan(
        pair,
        {"goals": "Leer con sentido", "starts_on": "2027-01-10", "ends_on": "2027-03-10"},
        actor=w["teacher_a"],
    )
    with pytest.raises(PermissionDenied):  # the leader reads but does not write
        services.log_session(pair, {"held_on": "2027-01-15", "done": "Observación"}, actor=w["sup_a"])
    with pytest.raises(ValidationError) as caught:
        services.log_session(pair, {"held_on": "", "done": " "}, actor=w["mentor_b"])
    assert set(caught.value.errors) == {"held_on", "done"}
    services.log_session(
        pair,
        {"held_on": "2027-01-15", "done": "Observé una clase", "next_step": "Lectura compartida"},
        actor=w["mentor_b"],
    )
    with pytest.raises(ValidationError) as caught:
        services.close_pair(pair, {"outcome": "excelente"}, actor=w["teacher_a"])
    assert "resultado" in caught.value.errors["outcome"]
    services.close_pair(pair, {"outcome": "parcial", "note": "Avanzamos en fluidez."}, actor=w["teacher_a"])
    db.session.commit()
    assert pair.status == "cerrada" and pair.request.status == "cerrada" and pair.outcome_label == "Parcial"
    [entry] = db.session.execute(db.select(LogbookEntry).filter_by(school_id=w["a"].id)).scalars()
    assert entry.title == "Mentoría concluida (Parcial): Leer no es comprender"
    assert "Maestra Sol, JUSTO SIERRA" in entry.body and "Sesiones registradas: 1." in entry.body
    assert "Observé una clase" not in entry.body  # the sessions stay private
    assert any("concluyó la mentoría" in m for m in _notes(w["mentor_b"]))
    assert services.loads([pair.offer_id]) == {}  # the place is free again
    with pytest.raises(PermissionDenied):
        services.log_session(pair, {"held_on": "2027-01-15", "done": "Otra"}, actor=w["mentor_b"])


def test_pairs_are_listed_only_to_their_people_and_leaders(world):
    w = world
    pair = _confirmed(w)
    assert services.pairs_for(w["mentor_b"]) == [pair]
    assert services.pairs_for(w["teacher_a"]) == [pair]
    assert services.pairs_for(w["sup_a"]) == [pair]
    assert services.pairs_for(w["admin"]) == [pair]
    assert services.pairs_for(w["teacher_a2"]) == []
    assert services.pairs_for(w["sup_b"]) == []
    assert db.session.get(MentoringPair, pair.id) is pair


def test_a_declined_pair_is_not_suggested_again_and_a_withdrawn_offer_not_at_all(world):
    w = world
    _offer(w["mentor_c"], w["reading"], capacity=1)  # BENITO JUÁREZ: less evidence than JUSTO SIERRA
    pair = _confirmed(w)  # Maestra Sol for Ana
    services.answer_pair(pair, False, actor=w["mentor_b"])
    db.session.commit()
    [again] = services.suggestions(w["sup_a"])
    assert again["request"] == pair.request and again["offer"].user == w["mentor_c"]
    services.withdraw_offer(actor=w["mentor_c"])
    db.session.commit()
    assert services.suggestions(w["sup_a"]) == []
