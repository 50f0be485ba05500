"""French translations: complete, compiled, and used by default.

Source strings are English; ``locale/fr/LC_MESSAGES/django.po`` holds their French translations and the
compiled ``django.mo`` beside it is committed, so a machine without gettext serves both languages.
These tests read both files with the standard library only:

- every entry of the ``.po`` is translated and none is fuzzy (gettext drops both from the ``.mo``,
  which would silently show English on French pages);
- every translatable string of the portal's templates and Python modules has an entry in the ``.po``
  (a new template without ``make messages`` fails here);
- the ``.mo`` holds exactly the translations of the ``.po`` (a ``.po`` edited but not recompiled fails).

Workflow: ``make messages``, translate the new or changed entries, run ``make messages`` again to
compile, commit the ``.po`` and the ``.mo``.
"""

import ast
import gettext
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

# The tree `make messages` extracts from, with the same exclusions.
SOURCE_ROOT = Path(settings.BASE_DIR)
EXCLUDED_DIRS = {"var", "bench", "tests", "locale", "static", "build", "node_modules", "test-results"}

# Django's makemessages keywords for Python code and templatized templates: name -> indexes of
# (context, singular, plural) among the positional arguments.
GETTEXT_FUNCTIONS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


@dataclass
class PoEntry:
    msgid: str
    line: int
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """The catalogue key gettext uses: the context and the msgid joined by EOT."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    def __str__(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"{PO_FILE.name}:{self.line} {self.msgid!r}{context}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def parse_po(text: str) -> list[PoEntry]:
    """Entries of a .po file, the header (msgid "") included, obsolete (#~) entries left out."""
    entries: list[PoEntry] = []
    entry: PoEntry | None = None
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal entry, flags, target
        if entry is not None:
            entries.append(entry)
        entry, flags, target = None, set(), None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if entry is not None and entry.msgstr:
                finish()  # comments belong to the next entry, even without a blank line before them
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue  # other comments, and obsolete (#~) entries, carry nothing to check
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{PO_FILE.name}:{number}: continuation line outside an entry")
            _append(entry, target, ast.literal_eval(line))
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise ValueError(f"{PO_FILE.name}:{number}: cannot parse {raw!r}")
        keyword, index, quoted = match.groups()
        if keyword in ("msgctxt", "msgid") and entry is not None and entry.msgstr:
            finish()  # a new entry without a blank line before it
        if entry is None:
            entry = PoEntry(msgid="", line=number, flags=flags)
        if keyword.startswith("msgstr"):
            target = ("msgstr", int(index) if index is not None else 0)
            entry.msgstr[target[1]] = ""
        else:
            target = (keyword, None)
            setattr(entry, keyword, "")
        _append(entry, target, ast.literal_eval(quoted))
    finish()
    return entries


def _append(entry: PoEntry, target: tuple[str, int | None], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, name, getattr(entry, name) + text)


def _calls(tokens: list[tokenize.TokenInfo]):
    """(function name, [string arguments]) for each gettext-style call in a token stream."""
    for position, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string not in GETTEXT_FUNCTIONS:
            continue
        if position + 1 >= len(tokens) or tokens[position + 1].string != "(":
            continue
        arguments: list[str] = []
        current: list[str] = []
        for following in tokens[position + 2 :]:
            if following.type == tokenize.STRING:
                current.append(ast.literal_eval(following.string))
            elif following.string in (",", ")"):
                arguments.append("".join(current) if current else None)
                current = []
                if following.string == ")":
                    break
            elif following.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
                current = ["\0"]  # not a literal: nothing to extract
        yield token.string, arguments


def _messages_in(code: str, origin: str) -> set[tuple[str | None, str, str | None]]:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError) as error:
        raise AssertionError(f"{origin}: cannot read its translatable strings ({error})") from error
    found = set()
    for name, arguments in _calls(tokens):
        context_at, singular_at, plural_at = GETTEXT_FUNCTIONS[name]
        if len(arguments) <= singular_at:
            continue
        singular = arguments[singular_at]
        context = arguments[context_at] if context_at is not None else None
        plural = arguments[plural_at] if plural_at is not None and len(arguments) > plural_at else None
        if not singular or "\0" in singular or (context is not None and "\0" in context):
            continue
        found.add((context, singular, plural))
    return found


def source_messages() -> dict[tuple[str | None, str, str | None], str]:
    """Every literal translatable string of the portal, with the file it first appears in."""
    messages: dict[tuple[str | None, str, str | None], str] = {}
    for path in sorted(SOURCE_ROOT.rglob("*")):
        relative = path.relative_to(SOURCE_ROOT)
        if any(
            part.startswith(".") or part in EXCLUDED_DIRS or part.endswith(".egg-info")
            for part in relative.parts[:-1]
        ):
            continue
        if path.suffix == ".py":
            code = path.read_text(encoding="utf-8")
        elif path.suffix in (".html", ".txt") and path.is_file():
            # Python-like code with the template's text blanked out; its indentation means nothing, and
            # its strings are single-line literals, so lines are left-aligned for the tokenizer.
            templatized = templatize(path.read_text(encoding="utf-8"), origin=str(relative))
            code = "\n".join(line.lstrip() for line in templatized.splitlines())
        else:
            continue
        for message in _messages_in(code, str(relative)):
            messages.setdefault(message, str(relative))
    return messages


@pytest.fixture(scope="module")
def po_entries() -> list[PoEntry]:
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


def test_po_file_parser_reads_contexts_plurals_flags_and_continuations():
    text = (
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n'
        '#: a.py:1\n#, python-format\nmsgctxt "menu"\nmsgid ""\n"Open "\n"%(n)s"\nmsgstr "Ouvrir %(n)s"\n\n'
        'msgid "pole"\nmsgid_plural "poles"\nmsgstr[0] "pôle"\nmsgstr[1] "pôles"\n\n'
        '#~ msgid "gone"\n#~ msgstr "parti"\n'
    )

    header, context, plural = parse_po(text)

    assert (header.msgid, header.msgstr, header.flags) == ("", {0: "Language: fr\n"}, {"fuzzy"})
    assert (context.key, context.msgstr, context.flags) == (
        "menu\x04Open %(n)s",
        {0: "Ouvrir %(n)s"},
        {"python-format"},
    )
    assert (plural.msgid, plural.msgid_plural, plural.msgstr) == ("pole", "poles", {0: "pôle", 1: "pôles"})


def test_french_po_has_no_fuzzy_entry(po_entries):
    fuzzy = [str(entry) for entry in po_entries if "fuzzy" in entry.flags]

    assert fuzzy == [], "Fuzzy entries are not compiled: review them and remove the flag."


def test_french_po_has_no_empty_translation(po_entries):
    empty = [
        str(entry)
        for entry in po_entries
        if entry.msgid and (not entry.msgstr or any(not text for text in entry.msgstr.values()))
    ]

    assert empty == [], "Translate every entry of locale/fr/LC_MESSAGES/django.po."


def test_french_po_covers_every_translatable_string_of_the_portal(po_entries):
    in_po = {(entry.msgctxt, entry.msgid) for entry in po_entries if entry.msgid}

    missing = sorted(
        f"{origin}: {singular!r}" + (f" (context {context!r})" if context is not None else "")
        for (context, singular, _plural), origin in source_messages().items()
        if (context, singular) not in in_po
    )

    assert missing == [], "Run `make messages` and translate the new entries."


def test_french_mo_holds_exactly_the_translations_of_the_po(po_entries):
    expected = {}
    for entry in po_entries:
        if not entry.msgid:
            continue
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            expected.update({(entry.key, index): text for index, text in entry.msgstr.items()})
    with MO_FILE.open("rb") as mo:
        compiled = dict(gettext.GNUTranslations(mo)._catalog)  # the parsed catalogue: no public accessor
    compiled.pop("", None)  # the header

    stale = sorted(str(key) for key in expected.keys() ^ compiled.keys())
    changed = sorted(str(key) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key])

    assert (stale, changed) == ([], []), "Compile the translations again: make messages."


@pytest.mark.django_db
def test_home_page_is_french_by_default(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in content
    assert "Le réseau des cancéropôles" in content
    assert "Aller au contenu principal" in content
    assert "The network of the cancéropôles" not in content
    assert "Skip to main content" not in content


@pytest.mark.django_db
def test_home_page_is_english_once_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/")

    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "The network of the cancéropôles" in content
    assert "Le réseau des cancéropôles" not in content
