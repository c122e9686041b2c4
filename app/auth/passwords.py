"""The rules of a new password: long enough, not too long, typed twice the same, and not easy to
guess — wherever a password is set (accepting an invitation, a reset link, "Cambiar contraseña",
the demo's accounts).

"Easy to guess" is zxcvbn's estimate (Dropbox's; the Python port pinned in pyproject.toml): it finds
common passwords, keyboard patterns, dates, repeats and words of its dictionaries, and the person's
own name and e-mail when given as ``user_inputs``. Its dictionaries are English, so a few Spanish
words that people put in passwords here (contraseña, escuela, maestra, méxico…) are added to the
personal words: "Contraseña2026" or "maria.lopez2026" for María López are refused, while a phrase
of a few words ("nube-tortuga-lámpara") passes. A score of 3 or more out of 4 is required
(zxcvbn's "safely unguessable": about 10^8 guesses or more, ASVS 2.1.7's check against breached
and common passwords in spirit).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from app.validation import ValidationError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128  # ASVS 2.1.2: at least 64 allowed, at most 128 required
MIN_SCORE = 3
CHECKED_LENGTH = 72  # zxcvbn refuses longer input; the start of a long passphrase is checked
COMMON_WORDS = (
    "contraseña",
    "contrasena",
    "clave",
    "aprendizaje",
    "escuela",
    "escuelas",
    "maestro",
    "maestra",
    "profesor",
    "profesora",
    "docente",
    "director",
    "directora",
    "supervisor",
    "primaria",
    "secundaria",
    "alumno",
    "alumnos",
    "sep",
    "méxico",
    "mexico",
    "teamo",
    "amor",
    "hola",
    "bienvenido",
)

# zxcvbn keeps the personal words of a call in a module-level dictionary: two checks at once on
# two threads would mix one person's words into the other's estimate.
_zxcvbn_lock = threading.Lock()


def _plain(text: str) -> str:
    """Lower case without accents: 'María' -> 'maria'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def personal_words(*texts: str | None) -> list[str]:
    """The words of a name or e-mail that must not make up a password, with and without accents.

    >>> personal_words("maria.lopez@escuelas.mx", "María López")
    ['maria.lopez@escuelas.mx', 'maria.lopez', 'maria', 'lopez', 'escuelas', 'maría lópez', 'maría', 'lópez', 'maria lopez']
    """
    words: list[str] = []
    for text in texts:
        if not text:
            continue
        text = text.strip().lower()
        local = text.split("@", 1)[0]
        domain = text.split("@", 1)[1].split(".")[0] if "@" in text else ""
        pieces = [
            text,
            local,
            *re.split(r"[\W_]+", local),
            domain,
            _plain(text),
            *re.split(r"[\W_]+", _plain(local)),
        ]
        words.extend(p for p in pieces if len(p) >= 3)
    return list(dict.fromkeys(words))


def password_score(password: str, user_inputs: Iterable[str] = ()) -> int:
    """zxcvbn's score, 0 (a common password) to 4, with the personal and common words given."""
    with _zxcvbn_lock:
        result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=[*user_inputs, *COMMON_WORDS])
    return result["score"]


def _mostly_personal(password: str, words: Iterable[str]) -> bool:
    """Whether little is left of the password once the person's own words are taken out of it:
    zxcvbn scores "MaríaLópez-2026" 3 for María López (it matches the words without accents only).

    >>> _mostly_personal("MaríaLópez-2026", ["maria", "lopez"]), _mostly_personal("nube-tortuga-maria", ["maria"])
    (True, False)
    """
    rest = _plain(password)
    for word in sorted({_plain(w) for w in words if len(w) >= 4}, key=len, reverse=True):
        rest = rest.replace(word, "")
    return len(rest) < MIN_PASSWORD_LENGTH and len(rest) < len(password)


def check_new_password(password: str, confirm: str | None = None, *, user_inputs: Iterable[str] = ()) -> None:
    """Refuse a password that is too short, too long, easy to guess or unlike its confirmation.

    ``user_inputs``: the person's own words (``personal_words(email, name)``), which make a
    password easy to guess for whoever knows them.
    """
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {"password": _("La contraseña debe tener al menos %(min)d caracteres.", min=MIN_PASSWORD_LENGTH)}
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            {"password": _("La contraseña puede tener hasta %(max)d caracteres.", max=MAX_PASSWORD_LENGTH)}
        )
    words = list(user_inputs)
    if password_score(password, words) < MIN_SCORE or _mostly_personal(password, words):
        if any(_plain(word) in _plain(password) for word in words):
            message = _(
                "La contraseña no debe contener tu nombre ni tu correo: es lo primero que alguien "
                "probaría. Usa tres o cuatro palabras poco comunes, separadas por guiones."
            )
        else:
            message = _(
                "Esta contraseña es fácil de adivinar (es común o sigue un patrón como 123, qwerty "
                "o un año). Usa tres o cuatro palabras poco comunes, separadas por guiones."
            )
        raise ValidationError({"password": message})
    if confirm is not None and confirm != password:
        raise ValidationError({"confirm": _("Las contraseñas no coinciden.")})
