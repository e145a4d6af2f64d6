"""The zh-Hans catalogue is complete, compiled and current with the source."""

import shutil
import subprocess

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def fresh_po(tmp_path_factory):
    """The catalogue as makemessages would leave it after reading today's source."""
    if not shutil.which("xgettext"):
        pytest.fail("gettext is missing: scripts/install-system-deps installs it.")
    locale_dir = tmp_path_factory.mktemp("locale")
    shutil.copytree(settings.BASE_DIR / "locale", locale_dir, dirs_exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(settings.BASE_DIR)
        mp.setattr(settings, "LOCALE_PATHS", [locale_dir])
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            ignore_patterns=[".venv/*", "staticfiles/*", "tests/*", "var/*"],
            no_location=True,
            no_obsolete=True,
            verbosity=0,
        )
    return polib.pofile(str(locale_dir / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def test_it_translates_every_string_in_the_source(fresh_po):
    missing = [e.msgid for e in fresh_po.untranslated_entries()]
    assert missing == []


def test_it_has_no_fuzzy_translation(fresh_po):
    assert [e.msgid for e in fresh_po.fuzzy_entries()] == []


def test_it_ships_a_compiled_catalogue_matching_the_po_file():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == (entry.msgstr, entry.msgstr_plural), entry.msgid


def test_it_accepts_the_catalogue_with_msgfmt_check():
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE / "django.po")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
