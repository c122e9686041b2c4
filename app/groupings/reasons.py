"""Why schools are together, in plain words: who already solved what, with which practice, and who
is working on it; what they share; how close their problems are, said without decimals.

Every sentence is Markup built from escaped values (school names, practice and problem titles are
typed by people), so templates print it as is. The numbers behind a grouping are explained in
words on the page (``objective_explained``), never shown bare.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from network.progress import SOLVED
from network.taxonomy import is_ambito


def _safe(**values) -> dict:
    return {key: escape(value) for key, value in values.items()}


def join_names(names: list, *, limit: int | None = None) -> Markup:
    """ "A", "A y B", "A, B y C" (names escaped); past `limit`, "A, B y 3 más"."""
    names = [escape(n) for n in names]
    if limit is not None and len(names) > limit:
        rest = len(names) - limit
        names = names[:limit] + [escape(ngettext("%(num)s más", "%(num)s más", rest))]
    if not names:
        return Markup("")
    if len(names) == 1:
        return names[0]
    return Markup(_("%(first)s y %(last)s", first=Markup(", ").join(names[:-1]), last=names[-1]))


def in_sentence(name: str) -> str:
    """A category's name inside a sentence: "Pensamiento matemático" -> "pensamiento matemático"."""
    return name[:1].lower() + name[1:]


def categories_phrase(codes: list[str], names: dict[str, str], *, limit: int = 4) -> Markup:
    """*lectura y escritura*, *convivencia* y 2 más (specific areas before the broad ámbitos)."""
    codes = sorted(codes, key=is_ambito)
    shown = [Markup("<em>%s</em>") % in_sentence(names.get(code, code)) for code in codes[:limit]]
    rest = len(codes) - limit
    if rest > 0:
        shown.append(escape(ngettext("%(num)s categoría más", "%(num)s categorías más", rest)))
    return join_names(shown)


def evidence_notes(evidence: list[dict], *, problem_titles: bool = True) -> list[str]:
    """The short notes that back a signal: "3 de 4 compromisos cumplidos", "con buenos resultados"."""
    notes = []
    for item in evidence:
        kind = item["kind"]
        if kind == "practice" and item.get("outcome") == "bueno":
            notes.append(_("con buenos resultados"))
        elif kind == "problem" and item.get("status") == "resuelta" and not problem_titles:
            notes.append(_("problemática resuelta"))
        elif kind == "adoption" and item.get("outcome") == "bueno":
            notes.append(_("adoptada con buenos resultados"))
        elif kind == "problem" and item.get("status") == "resuelta" and problem_titles:
            notes.append(_("problemática «%(title)s» resuelta", title=item.get("title") or "—"))
        elif kind == "commitments":
            notes.append(
                ngettext(
                    "%(met)s de %(num)s compromiso cumplido",
                    "%(met)s de %(num)s compromisos cumplidos",
                    item["total"],
                    met=item["met"],
                )
            )
        elif kind == "enlace" and item.get("high"):
            notes.append(
                _(
                    "ENLACE de matemáticas: %(score)s puntos, en el tercio más alto del estado",
                    score=round(item["score"]),
                )
            )
    return list(dict.fromkeys(notes))


def _practice_of(evidence: list[dict]) -> dict | None:
    return next((e for e in evidence if e["kind"] in ("practice", "adoption")), None)


def help_sentence(
    item: dict,
    school_name: Callable[[object], str],
    names: dict[str, str],
    practice_link: Callable[[dict], Markup | None],
) -> Markup:
    """ "JUSTO SIERRA ya resolvió *lectura y escritura* con *Tutoría entre pares* (3 de 4 compromisos
    cumplidos); NARCISO MENDOZA y CUAUHTÉMOC trabajan en ello."

    `practice_link` gives the practice's title (linked when the reader may open it) or None when
    the reader may not see it; then the sentence says "con una práctica propia".
    """
    evidence = item.get("evidence") or []
    practice = _practice_of(evidence)
    values = {
        "helper": school_name(item["helper"]),
        "category": categories_phrase(item.get("categories") or [item["category"]], names),
    }
    if practice is not None:
        shown = practice_link(practice)
        if shown is not None:
            text = Markup(
                _(
                    "%(helper)s ya resolvió %(category)s con %(practice)s",
                    **_safe(**values, practice=shown),
                )
            )
        else:
            text = Markup(_("%(helper)s ya resolvió %(category)s con una práctica propia", **_safe(**values)))
        notes = evidence_notes(evidence, problem_titles=False)
    else:
        text = Markup(_("%(helper)s ya resolvió %(category)s", **_safe(**values)))
        notes = evidence_notes(evidence)
    if notes:
        text += Markup(" (%s)") % "; ".join(notes)
    learners = [school_name(s) for s in item["learners"]]
    return (
        text
        + Markup("; ")
        + Markup(
            ngettext(
                "%(names)s trabaja en ello.",
                "%(names)s trabajan en ello.",
                len(learners),
                names=join_names(learners),
            )
        )
    )


def merge_help(items: list[dict]) -> list[dict]:
    """One item per helper, learners and practice: "ya resolvió *X* y *Y* con *Z*" in one sentence."""
    merged: dict[tuple, dict] = {}
    for item in items:
        practice = _practice_of(item.get("evidence") or [])
        key = (item["helper"], tuple(item["learners"]), practice["practice"] if practice else None)
        if key in merged and practice is not None:
            merged[key]["categories"].append(item["category"])
        else:
            merged[key if practice is not None else (*key, item["category"])] = {
                **item,
                "categories": [item["category"]],
            }
    return list(merged.values())


def shared_sentence(codes: list[str], names: dict[str, str], size: int) -> Markup | None:
    """What the members share, or None when they share nothing."""
    if not codes:
        return None
    if size == 2:
        return Markup(
            _("Las dos escuelas trabajan en %(categories)s.", categories=categories_phrase(codes, names))
        )
    return Markup(
        _("Varias escuelas del grupo trabajan en %(categories)s.", categories=categories_phrase(codes, names))
    )


def closeness(score: float, helped: bool = False) -> str:
    """How close the members' open problems are, in words (score: mean weighted Jaccard, 0..1); a
    group brought together by who solved what says so rather than "nothing in common"."""
    if helped and score < 0.3:
        return _("Una escuela ya resolvió lo que otra trabaja")
    if score >= 0.6:
        return _("Problemáticas muy parecidas")
    if score >= 0.3:
        return _("Problemáticas parecidas")
    if score > 0:
        return _("Algo en común")
    return _("Sin problemáticas en común")


def pair_sentence(a: str, b: str, shared: list[str], names: dict[str, str]) -> Markup:
    """ "A y B comparten *convivencia*." or "A y B no comparten categorías." """
    if shared:
        return Markup(
            _(
                "%(a)s y %(b)s comparten %(categories)s.",
                **_safe(a=a, b=b),
                categories=categories_phrase(shared, names),
            )
        )
    return Markup(_("%(a)s y %(b)s no comparten categorías.", **_safe(a=a, b=b)))


def objective_explained(objective: float, schools: int, help_total: float | None) -> list[str]:
    """The numbers behind a grouping, each with what it means."""
    lines = [
        _(
            "Afinidad total: %(value)s de %(max)s posibles. Es la suma, escuela por escuela, de cuánto "
            "se parecen sus problemáticas abiertas a las de su grupo: 1 si tienen las mismas categorías "
            "y prioridades, 0 si no comparten ninguna.",
            value=format(objective, ".2f"),
            max=schools,
        )
    ]
    if help_total is not None:
        lines.append(
            _(
                "Ayuda total: %(value)s. Es la misma suma sobre la parte de lo que cada escuela trabaja "
                "que otra escuela de su grupo ya resolvió (1: todo lo que trabaja).",
                value=format(help_total, ".2f"),
            )
        )
    return lines


def solved_by(progress: dict, school, codes=None) -> list[str]:
    """Categories the school already solved (among `codes`, when given)."""
    return sorted(
        code
        for code, entry in (progress.get(school) or {}).items()
        if entry["state"] == SOLVED and (codes is None or code in codes)
    )


def working_on(progress: dict, school, codes=None) -> list[str]:
    """Categories the school is working on (among `codes`, when given)."""
    return sorted(
        code
        for code, entry in (progress.get(school) or {}).items()
        if entry["state"] != SOLVED and (codes is None or code in codes)
    )


def practice_progress(name: str, codes: list[str], names: dict[str, str], evidence: list[dict]) -> Markup:
    """For a recommended practice: "JUSTO SIERRA ya resolvió *lectura y escritura* con esta práctica
    (problemática resuelta; 3 de 4 compromisos cumplidos)." """
    text = Markup(
        _(
            "%(school)s ya resolvió %(categories)s con esta práctica",
            school=escape(name),
            categories=categories_phrase(codes, names),
        )
    )
    notes = evidence_notes(evidence, problem_titles=False)
    if notes:
        text += Markup(" (%s)") % "; ".join(notes)
    return text + Markup(".")


def partner_reasons(progress: dict, me, partner, shared: list[str], names: dict[str, str]) -> list[Markup]:
    """Why a partner school, in words: what it solved that we work on, what we solved that it works
    on, and what both work on."""
    lines = []
    theirs = solved_by(progress, partner, set(working_on(progress, me)))
    if theirs:
        lines.append(
            Markup(
                _(
                    "Ya resolvió %(categories)s, en lo que ustedes trabajan.",
                    categories=categories_phrase(theirs, names),
                )
            )
        )
    ours = solved_by(progress, me, set(working_on(progress, partner)))
    if ours:
        lines.append(
            Markup(
                _(
                    "Ustedes ya resolvieron %(categories)s, en lo que esta escuela trabaja.",
                    categories=categories_phrase(ours, names),
                )
            )
        )
    if shared:
        lines.append(
            Markup(
                _("Trabaja, como ustedes, en %(categories)s.", categories=categories_phrase(shared, names))
            )
        )
    return lines
