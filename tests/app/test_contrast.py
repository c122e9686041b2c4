"""Every badge and label with its own colours reads at WCAG AA (4.5:1): the priority badges did not
(``.badge-baja``, white on #558b2f, was 4.1:1). Checked on the style sheets and the templates' styles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
# A rule that sets both a solid background and a text colour, in that order or the other.
RULE = re.compile(r"([^{}]+)\{([^}]*)\}")
BACKGROUND = re.compile(r"background(?:-color)?:\s*(#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?)\b")
COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?)\b")


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance.

    >>> round(luminance("#ffffff"), 3), round(luminance("#000"), 3)
    (1.0, 0.0)
    """
    h = hex_colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours.

    >>> round(contrast("#558b2f", "#fff"), 1)
    4.1
    """
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def coloured_rules():
    files = sorted(APP.glob("static/css/*.css")) + sorted(APP.glob("templates/**/*.html"))
    for path in files:
        for selector, body in RULE.findall(path.read_text(encoding="utf-8")):
            background, colour = BACKGROUND.search(body), COLOUR.search(body)
            if background and colour:
                yield (
                    f"{path.relative_to(APP)} {selector.strip()[-60:]}",
                    background.group(1),
                    colour.group(1),
                )


RULES = list(coloured_rules())


def test_the_badges_are_found():
    assert any("badge-baja" in name for name, _b, _c in RULES) and len(RULES) >= 10


@pytest.mark.parametrize("name, background, colour", RULES, ids=[r[0] for r in RULES])
def test_text_on_its_own_background_reads_at_aa(name, background, colour):
    assert contrast(background, colour) >= 4.5, f"{name}: {colour} on {background}"
