"""English is real: the language switch turns pages and messages into English, and the
English catalogue is complete and compiled.

The catalogue checks read locale/en/LC_MESSAGES/django.po and django.mo with plain
Python, so they need no gettext tools (CI machines may not have them).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tiendo.testing import SmallTree

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")


@pytest.fixture(autouse=True)
def _back_to_default_language() -> Iterator[None]:
    """LocaleMiddleware leaves the last request's language active in this thread; tests
    that call services directly afterwards must see the default (Vietnamese) again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def switch_language(client: Client, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302


# --- Pages in English


def test_vietnamese_is_the_default(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi">' in page
    assert "<h1>Đăng nhập</h1>" in page


def test_the_login_page_in_english(client):
    switch_language(client, "en")
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page
    assert "Username" in page and "Password" in page
    assert "Đăng nhập" not in page


def test_the_tree_page_and_a_bad_date_in_english(tree: SmallTree, personas, client):
    switch_language(client, "en")
    client.force_login(personas["city_viewer"])
    page = client.get("/don-vi/", {"ngay": "31/2/2024"}).content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Unit tree</h1>" in page
    assert "The date 31/2/2024 does not exist." in page
    assert "Showing today instead." in page
    assert "không tồn tại" not in page
    # Unit names are data and stay as they were written.
    assert "Thành phố Thử" in page


def test_service_refusals_are_shown_in_english(tree: SmallTree, personas, client):
    switch_language(client, "en")
    client.force_login(personas["district_admin"])
    response = client.post(
        reverse("orgs:move", args=[tree.ward_a1.pk]), {"date": "1/3/2024", "new_parent": tree.tdp_a1_1.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "the new parent unit is itself under it (a loop in the unit tree)" in html
    assert "Not saved." in html
    response = client.post(
        reverse("orgs:create_child", args=[tree.district.pk]),
        {"kind": "ward", "name": "Phường trùng mã", "code": "P002", "valid_from": "1/1/2010"},
    )
    assert response.status_code == 400
    assert "The code “P002” is used by the unit “Phường A2” in the period" in response.content.decode()


def test_switching_back_to_vietnamese(client):
    switch_language(client, "en")
    switch_language(client, "vi")
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi">' in page
    assert "<h1>Đăng nhập</h1>" in page


# --- The catalogue: every entry translated, and compiled


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plain msgstr is index 0


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def _unquote(quoted: str) -> str:
    if len(quoted) < 2 or not (quoted.startswith('"') and quoted.endswith('"')):
        raise ValueError(f"not a quoted PO string: {quoted!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), quoted[1:-1])


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file: flags, msgctxt, msgid (and msgid_plural) and msgstr
    (and msgstr[n]), each possibly continued over several quoted lines; obsolete
    ("#~") entries are read and marked."""
    entries: list[Entry] = []
    current: Entry | None = None
    has_msgid = False  # whether ``current`` already had its msgid line
    target: tuple[str, int] | None = None  # the string that continuation lines extend

    def entry_for(keyword: str, number: int) -> Entry:
        """A flags line, msgctxt or msgid opens a new entry unless the current one is
        still waiting for its msgid; msgid_plural and msgstr belong to the current one."""
        nonlocal current, has_msgid
        if keyword in ("#,", "msgctxt", "msgid"):
            opens = current is None or has_msgid or (keyword == "#," and current.msgctxt is not None)
            if opens:
                current, has_msgid = Entry(line=number), False
                entries.append(current)
            assert current is not None
            if keyword == "msgid":
                has_msgid = True
            return current
        if current is None or not has_msgid:
            raise ValueError(f"line {number}: {keyword} before msgid")
        return current

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        elif line.startswith("#"):
            if line.startswith("#,"):
                entry_for("#,", number).flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue  # translator, reference and previous-msgid ("#|") comments
        match = _KEYWORD.match(line)
        if match:
            keyword, index, quoted = match.groups()
            value = _unquote(quoted)
            entry = entry_for(keyword.split("[")[0], number)
            entry.obsolete = entry.obsolete or obsolete
            if keyword == "msgctxt":
                entry.msgctxt, target = value, ("msgctxt", 0)
            elif keyword == "msgid":
                entry.msgid, target = value, ("msgid", 0)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = value, ("msgid_plural", 0)
            else:
                slot = int(index) if index is not None else 0
                entry.msgstr[slot], target = value, ("msgstr", slot)
        elif line.startswith('"') and current is not None and target is not None:
            name, slot = target
            if name == "msgstr":
                current.msgstr[slot] += _unquote(line)
            else:
                setattr(current, name, (getattr(current, name) or "") + _unquote(line))
        else:
            raise ValueError(f"line {number}: cannot read {raw!r}")
    return entries


def _live_entries() -> list[Entry]:
    return [e for e in parse_po(PO_PATH.read_text(encoding="utf-8")) if not e.obsolete]


def _label(entry: Entry) -> str:
    return f"line {entry.line}: {entry.msgid[:70]!r}"


def test_the_po_parser_reads_multi_line_and_plural_entries():
    entries = parse_po(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Hai "\n"dòng %(n)s"\nmsgstr "Two "\n"lines %(n)s"\n\n'
        'msgctxt "menu"\nmsgid "Xem"\nmsgstr ""\n\n'
        'msgid "một"\nmsgid_plural "nhiều"\nmsgstr[0] "one \\"quoted\\""\nmsgstr[1] ""\n\n'
        '#~ msgid "cũ"\n#~ msgstr "old"\n'
    )
    header, two, menu, plural, old = entries
    assert header.msgid == "" and "fuzzy" in header.flags and header.msgstr[0] == "Language: en\n"
    assert (two.msgid, two.msgstr[0], two.flags) == ("Hai dòng %(n)s", "Two lines %(n)s", {"python-format"})
    assert (menu.msgctxt, menu.msgid, menu.msgstr) == ("menu", "Xem", {0: ""})
    assert plural.msgid_plural == "nhiều" and plural.msgstr == {0: 'one "quoted"', 1: ""}
    assert old.obsolete and old.msgstr == {0: "old"}


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = _live_entries()
    assert len(entries) > 100, "the English catalogue looks truncated"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"{_label(entry)} is marked fuzzy")
        if entry.msgid == "":
            continue  # the header
        expected = 2 if entry.msgid_plural is not None else 1
        if len(entry.msgstr) < expected or any(not text.strip() for text in entry.msgstr.values()):
            problems.append(f"{_label(entry)} has an empty translation")
    assert not problems, "Untranslated English entries (edit locale/en/LC_MESSAGES/django.po):\n" + "\n".join(problems)


_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{(\w*)\}")


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in _PLACEHOLDER.finditer(text))


def test_translations_keep_the_placeholders():
    problems = []
    for entry in _live_entries():
        if not entry.msgid:
            continue
        wanted = _placeholders(entry.msgid_plural or entry.msgid)
        for slot, text in entry.msgstr.items():
            if text and _placeholders(text) != wanted:
                problems.append(f"{_label(entry)} msgstr[{slot}] has {_placeholders(text)}, wants {wanted}")
    assert not problems, "\n".join(problems)


def test_the_compiled_catalogue_matches_the_po_file():
    assert MO_PATH.exists(), "locale/en/LC_MESSAGES/django.mo is missing: run manage.py compilemessages"
    with MO_PATH.open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in _live_entries():
        if not entry.msgid:
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if catalog.get(key) != entry.msgstr.get(0):
                stale.append(_label(entry))
        elif any(catalog.get((key, slot)) != text for slot, text in entry.msgstr.items()):
            stale.append(_label(entry))
    assert not stale, "django.mo is older than django.po; run manage.py compilemessages. Differs:\n" + "\n".join(stale)


@pytest.mark.django_db
def test_a_browser_asking_for_english_still_gets_vietnamese_until_the_user_switches(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page and "Đăng nhập" in page
