"""Messages are a type of their own: said in the reader's language, never pasted into text untranslated."""

from __future__ import annotations

import pytest

from portal_kemitraan.core import privacy
from portal_kemitraan.core.models import Person
from portal_kemitraan.core.problems import Problem, Text, joined, said
from portal_kemitraan.render.i18n import translations

INDONESIAN = translations("id").gettext


def test_a_message_is_not_a_string_and_cannot_be_pasted_into_one():
    message = Text("is not valid UTF-8 (byte {value} at offset {offset}); save the file as UTF-8", value="0xe9", offset=11)
    assert not isinstance(message, str)
    with pytest.raises(TypeError):
        f"p.yml: {message}"  # noqa: B018 (the English words would reach an Indonesian reader)
    with pytest.raises(TypeError):
        "; ".join([message])
    with pytest.raises(TypeError):
        "p.yml: " + message
    assert str(message) == "is not valid UTF-8 (byte 0xe9 at offset 11); save the file as UTF-8"  # the code's words, asked for
    assert said(joined([message, Text("empty")], "; "), INDONESIAN) == said(message, INDONESIAN) + "; " + said(Text("empty"), INDONESIAN)


def test_a_message_inside_a_message_is_said_in_the_same_language():
    person = Person(name="Suparmi Wulandari", email="suparmi@contoh.id", consent=False)

    class Partner:  # what privacy.mentions reads: the published texts of a partner model
        def model_dump(self, include=None):
            return {"summary": "Hubungi suparmi@contoh.id untuk pemesanan."}

    (where, what), = privacy.mentions(Partner(), person)
    assert isinstance(what, Text)
    problem = Problem("partners/x.yml", 3, "summary", Text('mentions {what} of contact.person, who has not consented to be shown; remove it or record consent', what=what), "warning")
    line = problem.said(INDONESIAN)
    assert "alamat surel" in line and "e-mail address" not in line, line
