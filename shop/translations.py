"""Compile the storefront's translations (locale/<lang>/LC_MESSAGES/django.po -> .mo).

The .mo files are build output, not committed: ``make run``/``make test`` (``messages``) and the
test session (tests/conftest.py) compile what is missing or older than its .po, with babel
(a dependency already), so neither gettext's msgfmt nor Django's compilemessages is needed.
``python -m shop.translations`` does it by hand.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_messages(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile each stale .po under ``locale_dir``; the .mo files written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with mo.open("wb") as target:
            write_mo(target, catalog)
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_messages():
        print(f"compiled {path}")
