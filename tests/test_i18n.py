"""Translations: the English catalogue is complete and compiled, pages and API messages follow the
user's language (Vietnamese by default), and Django's own strings missing from its Vietnamese
catalogue are supplied by the project's."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
VI_PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
VI_BANNER = "Vui lòng sửa lỗi dưới đây."  # "Please correct the error(s) below."


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file, obsolete ones (#~) left out: each a dict with "id", "strs"
    (the msgstr, or msgstr[0..n]), "flags", and "plural" / "ctx" when present."""
    entries: list[dict] = []
    entry: dict = {"flags": set()}
    part = None

    def flush():
        nonlocal entry, part
        if "id" in entry:
            entries.append(entry)
        entry, part = {"flags": set()}, None

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            if "id" in entry:
                flush()
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            if "id" in entry:
                flush()
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if part == "strs":
                entry["strs"][-1] += value
            else:
                entry[part] += value
        else:
            keyword, _, value = line.partition(" ")
            if keyword.startswith("msgstr"):
                part = "strs"
                entry.setdefault("strs", []).append(ast.literal_eval(value))
            else:
                part = {"msgctxt": "ctx", "msgid": "id", "msgid_plural": "plural"}[keyword]
                entry[part] = ast.literal_eval(value)
    flush()
    return entries


def _messages(entries: list[dict]) -> list[dict]:
    return [entry for entry in entries if entry["id"]]


def _header(entries: list[dict]) -> dict:
    return next(entry for entry in entries if entry["id"] == "")


PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdr]|%[sd]|\{[a-z_0-9]*\}")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


# (a) The catalogues.


def test_english_catalogue_is_complete():
    entries = parse_po(EN_PO)
    header = _header(entries)
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["strs"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header["strs"][0]
    messages = _messages(entries)
    assert len(messages) > 100
    untranslated = [entry["id"] for entry in messages if not all(entry["strs"])]
    fuzzy = [entry["id"] for entry in messages if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("po", [EN_PO, VI_PO], ids=["en", "vi"])
def test_placeholders_are_kept(po):
    for entry in _messages(parse_po(po)):
        for msgstr in entry["strs"]:
            if msgstr:
                assert _placeholders(msgstr) == _placeholders(entry["id"]), entry["id"]


@pytest.mark.parametrize("po", [EN_PO, VI_PO], ids=["en", "vi"])
def test_compiled_catalogue_matches_the_po(po):
    """The committed .mo holds exactly what the .po says: run compilemessages after editing."""
    with open(po.with_suffix(".mo"), "rb") as mo_file:
        mo = gettext.GNUTranslations(mo_file)
    for entry in _messages(parse_po(po)):
        if not entry["strs"][0] or "fuzzy" in entry["flags"]:
            continue
        ctx = entry.get("ctx")
        if "plural" in entry:
            for n in (1, 2, 5):
                found = (
                    mo.npgettext(ctx, entry["id"], entry["plural"], n)
                    if ctx
                    else mo.ngettext(entry["id"], entry["plural"], n)
                )
                assert found == entry["strs"][mo.plural(n)], entry["id"]
        else:
            found = mo.pgettext(ctx, entry["id"]) if ctx else mo.gettext(entry["id"])
            assert found == entry["strs"][0], entry["id"]


def test_vietnamese_catalogue_is_valid_and_overrides_the_admin_banner():
    entries = parse_po(VI_PO)
    assert "Plural-Forms: nplurals=1; plural=0;\n" in _header(entries)["strs"][0]
    banner = [e for e in _messages(entries) if e["id"] == "Please correct the error below."]
    assert banner and banner[0]["strs"] == [VI_BANNER]
    assert banner[0].get("plural") == "Please correct the errors below."
    for entry in _messages(entries):
        assert len(entry["strs"]) == 1, entry["id"]  # Vietnamese has a single plural form
        assert "fuzzy" not in entry["flags"], entry["id"]


# (b) Pages follow the user's language.


@pytest.mark.django_db
def test_landing_page_is_vietnamese_by_default(client):
    html = client.get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in html
    assert "Hệ thống quản lý chương trình khuyến công" in html
    assert "Đăng nhập" in html
    assert "Sign in" not in html


@pytest.mark.django_db
def test_landing_page_in_english(client):
    html = client.get("/dang-nhap/", **EN).content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "Ministry of Industry and Trade" in html
    assert "Hệ thống quản lý chương trình khuyến công" not in html


@pytest.mark.django_db
def test_login_page_in_both_languages(client):
    vi = client.get("/dang-nhap/").content.decode()
    assert "Tên đăng nhập" in vi and "Mật khẩu" in vi
    en = client.get("/dang-nhap/", **EN).content.decode()
    assert "Sign in" in en and "Username" in en and "Password" in en
    assert "Tên đăng nhập" not in en


@pytest.mark.django_db
def test_language_switcher_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Sign in" in client.get("/dang-nhap/").content.decode()


@pytest.mark.django_db
def test_failed_login_message_in_english(client):
    response = client.post("/dang-nhap/", {"username": "nobody", "password": "x"}, **EN)
    assert "Incorrect username or password. Please try again." in response.content.decode()


# (c) Django's own admin strings in Vietnamese.


@pytest.mark.django_db
def test_admin_error_banner_is_vietnamese(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/provinces/region/add/", {})
    assert response.status_code == 200  # the form again, with its errors
    html = response.content.decode()
    assert VI_BANNER in html
    assert "Please correct the error" not in html
    assert "Trường này là bắt buộc." in html


@pytest.mark.django_db
def test_admin_error_banner_is_english_for_english_users(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/provinces/region/add/", {}, **EN)
    assert "Please correct the errors below." in response.content.decode()


@pytest.mark.django_db
def test_admin_history_page_is_vietnamese(client, admin_user):
    """The history pages come from django-simple-history, which has no Vietnamese catalogue."""
    from provinces.models import Province

    client.force_login(admin_user)
    province = Province.objects.first()
    html = client.get(f"/admin/provinces/province/{province.pk}/history/").content.decode()
    assert f"Lịch sử thay đổi: {province}" in html
    for heading in ("Đối tượng", "Thao tác", "Người thực hiện", "Lý do thay đổi"):
        assert f">{heading}</th>" in html
    assert "Tạo mới" in html  # the record made by load_reference
    assert "Changed by" not in html
    change = client.get(f"/admin/provinces/province/{province.pk}/change/").content.decode()
    assert ">Lịch sử</a>" in change
    assert "Bản ghi nhớ" not in change  # Django's own catalogue mistranslates "History"


# (d) API error messages.


@pytest.mark.django_db
def test_api_error_is_vietnamese_by_default(client):
    response = client.get("/api/v1/summary/?year=abc")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Tham số không hợp lệ."
    assert body["errors"]["year"] == ["Nhập một số nguyên."]


@pytest.mark.django_db
def test_api_error_in_english(client):
    response = client.get("/api/v1/summary/?year=abc", **EN)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Invalid parameters."
    assert body["errors"]["year"] == ["Enter a whole number."]


@pytest.mark.django_db
def test_api_own_messages_in_english(client):
    body = client.get("/api/v1/summary/?year=2019&province=19&colour=red", **EN).json()
    assert body["errors"]["params"] == ["Unsupported parameter: 'colour'."]
    assert body["errors"]["map"][0].startswith("A province map must be chosen")
