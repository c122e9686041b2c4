"""The areas of the application, and what each brings to it from its own package.

An area is a package of ``app/`` with a blueprint ``bp``. It may also have ``URL_PREFIX``, a
``models.py`` (imported here, so that its tables exist for ``create_all`` and Alembic) and ``MENU``
(its entries of the site's menu). Adding an area is writing its package and adding its name to
``AREAS``; nothing else in the app names it.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app, url_for

#: In the order their blueprints are registered (their URLs do not overlap, so order is cosmetic).
AREAS = (
    "main", "auth", "catalogue", "schools", "problems", "practices", "api", "demo", "groupings",
    "commitments", "logbook", "advice", "contacts", "dashboard", "networkhealth", "encounters", "live", "goodpractices", "communities", "mentoring",
    "jobs",
)  # fmt: skip
_MENU = "aee_menu"


@dataclass(frozen=True)
class MenuEntry:
    """One entry of the site's menu: a link shown to the people ``visible`` accepts, or a template."""

    order: int
    label: object = None  # a lazy_gettext string
    endpoint: str | None = None
    visible: Callable[[object], bool] = lambda user: True
    args: Callable[[object], dict] = field(default=lambda user: {})
    template: str | None = None  # an area's own snippet (e.g. a link with a counter)


def register(app: Flask) -> None:
    """Register every area's blueprint, import its models and collect its menu entries."""
    menu: list[MenuEntry] = []
    for name in AREAS:
        area = importlib.import_module(f"app.{name}")
        app.register_blueprint(area.bp, url_prefix=getattr(area, "URL_PREFIX", None))
        if hasattr(area, "__path__") and importlib.util.find_spec(f"app.{name}.models") is not None:
            importlib.import_module(f"app.{name}.models")
        menu.extend(getattr(area, "MENU", ()))
    app.extensions[_MENU] = sorted(menu, key=lambda entry: entry.order)


def menu_for(user) -> list[dict]:
    """The menu as ``user`` sees it: ``{"label", "url"}`` links and ``{"template"}`` snippets."""
    shown = []
    for entry in current_app.extensions[_MENU]:
        if entry.template:
            shown.append({"template": entry.template})
        elif entry.visible(user):
            shown.append({"label": entry.label, "url": url_for(entry.endpoint, **entry.args(user))})
    return shown
