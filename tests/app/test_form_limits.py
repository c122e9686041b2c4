"""The browser is told the same length limits the services check (one constant for both)."""

from __future__ import annotations

import pytest

from app.commitments import limits as commitment_limits
from app.commitments.forms import CommitmentForm, CommitmentNoteForm
from app.goodpractices.forms import AdoptForm
from app.logbook import models as logbook_models
from app.logbook.forms import LogbookNoteForm
from app.practices import limits as practice_limits
from app.practices.forms import PracticeForm
from app.problems import services as problem_services
from app.problems.forms import ProblemForm


@pytest.mark.parametrize(
    "form_class, field, limit",
    [
        (CommitmentForm, "action", commitment_limits.ACTION_MAX),
        (CommitmentForm, "classroom", commitment_limits.CLASSROOM_MAX),
        (CommitmentForm, "responsible", commitment_limits.RESPONSIBLE_MAX),
        (CommitmentForm, "follow_up", commitment_limits.TEXT_MAX),
        (CommitmentNoteForm, "body", commitment_limits.NOTE_MAX),
        (LogbookNoteForm, "title", logbook_models.TITLE_MAX),
        (ProblemForm, "title", problem_services.TITLE_MAX),
        (AdoptForm, "responsible", commitment_limits.RESPONSIBLE_MAX),
    ],
)
def test_maxlength_is_the_services_limit(app, form_class, field, limit):
    with app.test_request_context():
        html = str(form_class()[field]())
    assert f'maxlength="{limit}"' in html


def test_practice_form_refuses_what_the_service_would(app):
    with app.test_request_context(
        method="POST", data={"title": "x" * (practice_limits.TITLE_MAX + 1), "summary": "Resumen"}
    ):
        form = PracticeForm(meta={"csrf": False})
        form.validate()
        assert "Máximo" in " ".join(form.title.errors)
