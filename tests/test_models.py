"""Field rules that need no files: provinces, phones, e-mail, URLs, coordinates, text hygiene."""

import pytest
from pydantic import ValidationError

from portal_kemitraan.core.models import Partner
from portal_kemitraan.core.reference import find_province, provinces

BASE = {"name": "Mitra", "pattern": "agency", "side": "agent", "summary": "Ringkas.", "region": {"province": "Bali"}}


def partner(**changes):
    data = dict(BASE)
    data.update(changes)
    return Partner.model_validate(data)


def test_there_are_38_provinces_with_unique_ids():
    rows = provinces()
    assert len(rows) == 38
    assert len({r["id"] for r in rows}) == 38


@pytest.mark.parametrize(
    "given, stored",
    [("jawa barat", "Jawa Barat"), ("JAWA  BARAT", "Jawa Barat"), ("Jakarta", "DKI Jakarta"), ("daerah istimewa yogyakarta", "DI Yogyakarta"), ("papua-barat-daya", "Papua Barat Daya")],
)
def test_province_matching_is_case_insensitive_and_stores_official_spelling(given, stored):
    assert partner(region={"province": given}).region.province == stored
    assert find_province(given)["name"] == stored


@pytest.mark.parametrize(
    "given, stored",
    [("0812 5550 1234", "+6281255501234"), ("(022) 555-0142", "+62225550142"), ("+62 31 555 0199", "+62315550199"), ("62 21 5550100", "+62215550100")],
)
def test_phone_numbers_are_normalised(given, stored):
    assert partner(contact={"phone": given}).contact.phone == stored


@pytest.mark.parametrize("bad", ["0812-ABC-999", "12", "+62+812", "x" * 50])
def test_bad_phone_numbers_are_refused(bad):
    with pytest.raises(ValidationError):
        partner(contact={"phone": bad})


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org", "https://", "http://exa mple.org"])
def test_only_http_and_https_websites(url):
    with pytest.raises(ValidationError):
        partner(website=url)


def test_location_must_be_in_indonesia():
    assert partner(location={"lat": -6.2, "lon": 106.8}).location.lat == -6.2
    with pytest.raises(ValidationError):
        partner(location={"lat": 48.8, "lon": 2.3})


def test_defaults():
    p = partner()
    assert p.visibility == "public" and p.stage is None and p.forms == [] and p.internal is None


def test_internal_takes_any_mapping():
    assert partner(internal={"notes": ["a", {"b": 1}], "owner": "sari"}).internal.owner == "sari"


def test_person_consent_defaults_to_false():
    assert partner(contact={"person": {"name": "Siti"}}).contact.person.consent is False


def test_summary_limit_is_280_characters():
    partner(summary="x" * 280)
    with pytest.raises(ValidationError):
        partner(summary="x" * 281)


def test_internal_is_typed_for_the_keys_the_staff_tools_use_and_keeps_the_rest():
    from portal_kemitraan.core.models import Internal, Partner

    base = {"name": "Mitra", "pattern": "agency", "side": "agent", "summary": "Ringkasan.", "region": {"province": "Aceh"}}
    partner = Partner.model_validate({**base, "internal": {"owner": 12, "applicant": {"name": "Budi", "email": "budi@contoh.id"},
                                                           "catatan_rapat": ["bertemu di balai desa"]}})
    assert isinstance(partner.internal, Internal)
    assert partner.internal.owner == "12" and partner.internal.applicant.email == "budi@contoh.id"
    assert partner.internal.model_dump(exclude_none=True)["catatan_rapat"] == ["bertemu di balai desa"]  # staff's own keys kept
    with pytest.raises(Exception) as caught:
        Partner.model_validate({**base, "internal": {"applicant": "Budi"}})
    assert "applicant" in str(caught.value)
