#!/usr/bin/env python3
"""Regenerate the bundled SCOWL80 word list from Debian's `scowl` package (2020.12.07).

    apt-get install scowl && python3 scripts/build-scowl80.py

Takes the `*-words.NN` files of levels <= 80 in the categories english, american,
british, canadian, australian and british_z plus their variant_1..3 lists, folds
accents to ASCII (NFKD), keeps words of 2-15 letters a-z, and writes the sorted,
upper-case list to crates/tilebag-bundled/data/scowl80.txt.gz with a fixed gzip timestamp so the
output is byte-for-byte reproducible. It also copies SCOWL's copyright notice.
"""
import gzip
import pathlib
import re
import shutil
import sys
import unicodedata

SOURCE = pathlib.Path("/usr/share/dict/scowl")
NOTICE = pathlib.Path("/usr/share/doc/scowl/copyright")
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "tilebag-bundled" / "data"
CATEGORIES = ["english", "american", "british", "canadian", "australian", "british_z"]
VARIANTS = ["variant_1", "variant_2", "variant_3"]
MAX_LEVEL = 80
NAME = re.compile(r"^(?P<category>[a-z_0-9]+)-words\.(?P<level>\d+)$")


def wanted(category: str) -> bool:
    if category in CATEGORIES or category in VARIANTS:
        return True
    return any(category == f"{c}_{v}" for c in CATEGORIES for v in VARIANTS)


def fold(line: str) -> str:
    decomposed = unicodedata.normalize("NFKD", line.strip())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def main() -> int:
    if not SOURCE.is_dir():
        print(f"{SOURCE} not found: install Debian's scowl package first", file=sys.stderr)
        return 1
    words = set()
    used = []
    for path in sorted(SOURCE.iterdir()):
        m = NAME.match(path.name)
        if not m or int(m["level"]) > MAX_LEVEL or not wanted(m["category"]):
            continue
        used.append(path.name)
        for line in path.read_text(encoding="utf-8").splitlines():
            word = fold(line)
            if 2 <= len(word) <= 15 and re.fullmatch(r"[a-z]+", word):
                words.add(word.upper())
    OUT.mkdir(parents=True, exist_ok=True)
    text = "".join(w + "\n" for w in sorted(words)).encode()
    with open(OUT / "scowl80.txt.gz", "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(text)
    shutil.copyfile(NOTICE, OUT / "COPYRIGHT")
    print(f"{len(words)} words from {len(used)} files -> {OUT / 'scowl80.txt.gz'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
