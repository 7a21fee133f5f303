"""`yiwang i18n compile|check|update`: the gettext catalogues (zh-Hans, en) without needing GNU gettext
to compile (polib writes the .mo files)."""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

LOCALES = ["zh_Hans", "en"]
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def chinese_tail(msgid: str) -> str | None:
    """ "audit event 审计记录" -> "审计记录": the Chinese term written after the English one in the source."""
    if "%" in msgid or "{" in msgid:
        return None
    tokens = msgid.split()
    start = len(tokens)
    while start > 1 and not LATIN.search(tokens[start - 1]):
        start -= 1
    tail = tokens[start:]
    if not tail or not LATIN.search(" ".join(tokens[:start])) or not CJK.search(tail[0]):
        return None
    if tail[0][0] in "(（[【":  # "area (平方米)": a bracketed note, not the term itself
        return None
    return " ".join(tail)


def autofill_bilingual() -> int:
    """Fill untranslated zh_Hans entries whose msgid already carries the Chinese term at its end."""
    path = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return 0
    po = polib.pofile(str(path), wrapwidth=0)
    filled = 0
    for entry in po:
        if entry.msgstr or entry.msgid_plural:
            continue
        chinese = chinese_tail(entry.msgid)
        if chinese:
            entry.msgstr = chinese
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    po.save()
    return filled


DOMAINS = ["django", "djangojs"]


def catalogue_paths():
    root = Path(settings.BASE_DIR) / "locale"
    for locale in LOCALES:
        for domain in DOMAINS:
            path = root / locale / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                yield locale, domain, path


class Command(BaseCommand):
    help = "Compile, check or update the translation catalogues."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["compile", "check", "update"])

    def handle(self, *args, what, **options):
        getattr(self, f"do_{what}")()

    def do_compile(self):
        n = 0
        for _locale, _domain, path in catalogue_paths():
            polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
            n += 1
        self.stdout.write(f"compiled {n} catalogues")

    def do_update(self):
        if not shutil.which("xgettext"):
            raise CommandError("updating catalogues needs GNU gettext (apt-get install gettext)")
        for locale in LOCALES:
            for domain in DOMAINS:
                subprocess.run(
                    [sys.executable, "-m", "django", "makemessages", "-l", locale, "-d", domain,
                     "--no-obsolete", "--no-location", "-i", "tests/*", "-i", ".venv/*"],
                    cwd=settings.BASE_DIR, check=True,
                )  # fmt: skip
        filled = autofill_bilingual()
        self.stdout.write(
            f"catalogues updated ({filled} bilingual entries filled); translate the remaining zh_Hans entries,"
            " then `yiwang i18n compile`"
        )

    def do_check(self):
        problems = []
        found = {locale for locale, _d, _p in catalogue_paths()}
        for locale in LOCALES:
            if locale not in found:
                problems.append(f"no catalogue for {locale}")
        for locale, _domain, path in catalogue_paths():
            if locale != "zh_Hans":
                continue
            po = polib.pofile(str(path))
            for entry in po.untranslated_entries() + po.fuzzy_entries():
                problems.append(f"{path.name} ({locale}): untranslated: {entry.msgid[:70]!r}")
        problems += self._missing_from_source()
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"{len(problems)} translation problems")
        self.stdout.write("translation catalogues complete")

    def _missing_from_source(self):
        """Strings marked in the source but absent from the zh_Hans catalogue (needs xgettext)."""
        if not shutil.which("xgettext"):
            self.stdout.write("(GNU gettext absent: skipped the check for strings missing from the catalogues)")
            return []
        src = Path(settings.BASE_DIR)
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "yiwang"
            shutil.copytree(src, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
            (copy / "locale").mkdir()
            subprocess.run(
                [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "-d", "django",
                 "--no-location", "--no-wrap"],
                cwd=copy, check=True, capture_output=True,
                env={"PATH": "/usr/bin:/bin"},
            )  # fmt: skip
            fresh = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
        have_path = src / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
        have = {(e.msgctxt, e.msgid) for e in polib.pofile(str(have_path))} if have_path.exists() else set()
        return [
            f"django.po (zh_Hans): missing {e.msgid[:70]!r} — run `yiwang i18n update`"
            for e in fresh
            if (e.msgctxt, e.msgid) not in have
        ]
