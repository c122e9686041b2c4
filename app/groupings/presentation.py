"""What the grouping page says about each group and the zone, in plain words, for one reader.

Reads the zone's records once (schools, problems, practices, progress) and turns the stored reasons
of every group into sentences (``app.groupings.reasons``); practices are named and linked only
when the reader may open them.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app import permissions
from app.extensions import db
from app.groupings import reasons
from app.groupings.picture import network_picture
from app.groupings.progress import school_progress
from app.groupings.services import category_names, network_records, zone_schools
from app.practices.models import Practice


def _practices(ids: set) -> dict[int, Practice]:
    if not ids:
        return {}
    return {p.id: p for p in db.session.execute(db.select(Practice).where(Practice.id.in_(ids))).scalars()}


def detail_context(grouping, *, actor) -> dict:
    """Cards (one per group), the summary, the numbers explained and the picture of who helps whom."""
    schools = zone_schools(grouping.zone)
    progress = school_progress(schools, network_records(schools))
    picture = network_picture(grouping, schools, progress)
    by_id = {s.id: s for s in schools} | {m.school_id: m.school for g in grouping.groups for m in g.members}
    help_items = [item for g in grouping.groups for item in g.reasons.get("help", [])]
    codes = sorted(
        {c for g in grouping.groups for c in g.shared}
        | {c for g in grouping.groups for p in g.reasons.get("pairs", []) for c in p["shared"]}
        | {item["category"] for item in help_items}
        | {c for e in picture["edges"] for c in e["categories"]}
    )
    names = category_names(codes)
    practice_ids = {pid for g in grouping.groups for pid in g.reasons.get("practices", [])} | {
        e["practice"]
        for item in help_items
        for e in item["evidence"]
        if e["kind"] in ("practice", "adoption")
    }
    practices = _practices(practice_ids)

    def school_name(sid) -> str:
        return by_id[sid].name if sid in by_id else "—"

    def practice_link(evidence: dict) -> Markup | None:
        practice = practices.get(evidence["practice"])
        if practice is None:
            return Markup("<em>%s</em>") % (evidence.get("title") or "—")
        if not permissions.can_view_practice(actor, practice):
            return None
        return Markup('<a href="%s"><em>%s</em></a>') % (
            url_for("practices.detail", practice_id=practice.id),
            practice.title,
        )

    cards = []
    for group in grouping.groups:
        members = [m.school_id for m in group.members]
        named = {  # practices a help sentence already names are not listed again
            e["practice"]
            for item in group.reasons.get("help", [])
            for e in item["evidence"][:1]
            if e["kind"] in ("practice", "adoption")
        }
        cards.append(
            {
                "group": group,
                "closeness": (
                    reasons.closeness(group.score, bool(group.reasons.get("help")))
                    if len(members) > 1
                    else None
                ),
                "help": [
                    reasons.help_sentence(item, school_name, names, practice_link)
                    for item in reasons.merge_help(group.reasons.get("help", []))
                ],
                "shared": reasons.shared_sentence(group.shared, names, len(members)),
                "pairs": [
                    reasons.pair_sentence(school_name(p["a"]), school_name(p["b"]), p["shared"], names)
                    for p in group.reasons.get("pairs", [])
                ],
                "practices": [
                    practices[pid]
                    for pid in group.reasons.get("practices", [])
                    if pid in practices
                    and pid not in named
                    and permissions.can_view_practice(actor, practices[pid])
                ],
            }
        )
    with_help = sum(1 for g in grouping.groups if g.reasons.get("help"))
    has_help_scores = any("help_score" in g.reasons for g in grouping.groups)
    help_total = (
        sum(g.reasons.get("help_score", 0.0) * len(g.members) for g in grouping.groups)
        if has_help_scores
        else None
    )
    return {
        "cards": cards,
        "names": names,
        "schools": by_id,
        "picture": picture,
        "who_helps": _who_helps(picture["edges"], school_name, names),
        "with_help": with_help,
        "explained": reasons.objective_explained(
            grouping.objective, sum(len(g.members) for g in grouping.groups), help_total
        ),
    }


def _who_helps(edges: list[dict], school_name, names: dict[str, str]) -> list[Markup]:
    """The picture in words: "JUSTO SIERRA ya resolvió *X*; trabajan en ello: A y B (en su grupo: A)"."""
    by_pair: dict[tuple, list] = {}
    for edge in edges:
        for code in edge["categories"]:
            by_pair.setdefault((edge["helper"], code), []).append(edge)
    lines = []
    for (helper, code), items in sorted(by_pair.items(), key=lambda kv: (school_name(kv[0][0]), kv[0][1])):
        together = [school_name(e["learner"]) for e in items if e["same_group"]]
        others = [school_name(e["learner"]) for e in items if not e["same_group"]]
        text = Markup(
            _(
                "%(helper)s ya resolvió <em>%(category)s</em>.",
                helper=escape(school_name(helper)),
                category=escape(reasons.in_sentence(names.get(code, code))),
            )
        )
        if together:
            text += Markup(" ") + Markup(
                _("En su grupo: %(names)s.", names=reasons.join_names(together, limit=6))
            )
        if others:
            text += Markup(" ") + Markup(
                _("En otros grupos: %(names)s.", names=reasons.join_names(others, limit=6))
            )
        lines.append(text)
    return lines
