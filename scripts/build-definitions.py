#!/usr/bin/env python3
"""Build short definitions for the bundled SCOWL80 lexicon from WordNet 3.0.

    apt-get install wordnet-base && python3 scripts/build-definitions.py

Reads crates/tilebag-bundled/data/scowl80.txt.gz and Debian's wordnet-base data in
/usr/share/wordnet, and writes crates/tilebag-bundled/data/definitions.txt.gz: one line
`WORD definition` per SCOWL80 word that WordNet can define, sorted by word, gzip with a fixed
timestamp so the output is byte-for-byte reproducible. It also copies WordNet's licence
(the copyright file of wordnet-base) to crates/tilebag-bundled/data/WORDNET-LICENSE.

How a word is defined
---------------------
For each part of speech (noun, verb, adjective, adverb) a word gets candidate senses:

* direct: the word itself (lower-case) is a WordNet lemma of that part of speech;
* inflection: WordNet's own morphology (the "morphy" algorithm) maps it to a different base
  lemma of that part of speech: first the exception list (`verb.exc` etc.); only when the
  word is not in it, the detachment rules (noun: -s, -ses, -xes, -zes, -ches, -shes, -men,
  -ies; verb: -s, -ies, -es, -ed, -ing; adjective: -er, -est), the first base in rule order
  that is a lemma of that part of speech.

Exception-list bases always count. A rule-derived base counts if the word is no lemma at
all, or, when it is one, only for a verb or noun base of a part of speech the word is not a
lemma of (PLAYED is an adjective lemma and also a form of the verb PLAY; SEED does not
become a form of SEE, nor OWNER a comparative of OWN).

Candidates are ranked by how often the (base) lemma is sense-tagged in that part of speech
in WordNet's semantic concordance (`cntlist.rev`), ties going to direct senses and then to
noun, verb, adjective, adverb. The best two are joined with " / "; each gives the gloss of
the lemma's first (most frequent) sense in that part of speech: the text after `|` in the
data file, up to the first `; "` example, trimmed.

Format of one part:

    (n.) gloss           the word's own sense; tags (n.) (v.) (adj.) (adv.)
    [BASE] (v.) gloss    the word is an inflected form of BASE (upper-case), e.g.
                         PLAYED  [PLAY] (v.) participate in games or sport

so a definition is an inflection exactly where a part starts with `[`. Definitions are
capped at 200 characters, cut at a word boundary with "…" (a second part is left out when
too little of it would remain). Words WordNet cannot define are absent from the output.
"""
import collections
import gzip
import pathlib
import shutil
import sys

WORDNET = pathlib.Path("/usr/share/wordnet")
LICENCE = pathlib.Path("/usr/share/doc/wordnet-base/copyright")
ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "crates" / "tilebag-bundled" / "data"
WORDS = DATA / "scowl80.txt.gz"
OUT = DATA / "definitions.txt.gz"
LICENCE_OUT = DATA / "WORDNET-LICENSE"

# WordNet file suffix, tag in the output, and sense-key ss_type digits (5 = adjective satellite).
POS = {
    "n": ("noun", "(n.)", {"1"}),
    "v": ("verb", "(v.)", {"2"}),
    "a": ("adj", "(adj.)", {"3", "5"}),
    "r": ("adv", "(adv.)", {"4"}),
}
POS_ORDER = list(POS)
RULES = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
          ("shes", "sh"), ("men", "man"), ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ing", "e"), ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}
CAP = 200
MIN_SECOND = 40  # room worth giving a second part that has to be truncated


def read_index(pos: str) -> dict[str, int]:
    """lemma -> offset of its first sense, for single-word lemmas."""
    first = {}
    for line in (WORDNET / f"index.{POS[pos][0]}").open(encoding="ascii"):
        if line.startswith(" "):
            continue  # licence header
        fields = line.split()
        lemma, synset_cnt = fields[0], int(fields[2])
        if "_" in lemma:
            continue
        first[lemma] = int(fields[-synset_cnt])
    return first


def read_glosses(pos: str, wanted: set[int]) -> dict[int, str]:
    """offset -> definition part of the gloss, for the wanted synsets."""
    glosses = {}
    for line in (WORDNET / f"data.{POS[pos][0]}").open(encoding="ascii"):
        if line.startswith(" "):
            continue
        offset = int(line[:8])
        if offset not in wanted:
            continue
        gloss = line.split(" | ", 1)[1].strip() if " | " in line else ""
        gloss = gloss.split('; "', 1)[0].strip().rstrip(";").strip()
        if gloss.startswith('"'):
            gloss = ""  # an example only, no definition
        glosses[offset] = " ".join(gloss.split())
    return glosses


def read_exceptions(pos: str) -> dict[str, list[str]]:
    exc = {}
    for line in (WORDNET / f"{POS[pos][0]}.exc").open(encoding="ascii"):
        inflected, *bases = line.split()
        exc[inflected] = [b for b in bases if "_" not in b and b != inflected]
    return exc


def read_counts() -> dict[tuple[str, str], int]:
    """(lemma, pos) -> total semantic-concordance tag count of its senses."""
    digit_pos = {d: p for p, (_, _, digits) in POS.items() for d in digits}
    counts = collections.Counter()
    for line in (WORDNET / "cntlist.rev").open(encoding="ascii"):
        key, _sense, count = line.split()
        lemma, rest = key.split("%", 1)
        counts[(lemma, digit_pos[rest[0]])] += int(count)
    return counts


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:(/-") + "…"


def main() -> int:
    if not WORDNET.is_dir():
        print(f"{WORDNET} not found: install Debian's wordnet-base package first", file=sys.stderr)
        return 1
    with gzip.open(WORDS, "rt", encoding="ascii") as f:
        words = [w.strip() for w in f if w.strip()]

    first = {p: read_index(p) for p in POS}
    glosses = {p: read_glosses(p, set(first[p].values())) for p in POS}
    exceptions = {p: read_exceptions(p) for p in POS}
    counts = read_counts()

    def gloss(lemma: str, pos: str) -> str:
        return glosses[pos].get(first[pos][lemma], "")

    def candidates(lower: str):
        direct = [p for p in POS if lower in first[p] and gloss(lower, p)]
        found = [(lower, p, False) for p in direct]
        for p in POS:
            if lower in exceptions[p]:
                bases = [b for b in exceptions[p][lower] if b in first[p]]
                found += [(b, p, True) for b in bases[:1]]
                continue
            if direct and (p in direct or p not in ("n", "v")):
                continue
            for suffix, ending in RULES[p]:
                if lower.endswith(suffix) and len(lower) > len(suffix):
                    base = lower[: -len(suffix)] + ending
                    if base != lower and base in first[p] and gloss(base, p):
                        found.append((base, p, True))
                        break
        found = [c for c in found if gloss(c[0], c[1])]
        found.sort(key=lambda c: (-counts[(c[0], c[1])], c[2], POS_ORDER.index(c[1])))
        return found

    def part(lemma: str, pos: str, inflection: bool) -> str:
        text = f"{POS[pos][1]} {gloss(lemma, pos)}"
        return f"[{lemma.upper()}] {text}" if inflection else text

    lines = []
    kinds = collections.Counter()
    by_len_total = collections.Counter(len(w) for w in words)
    by_len_defined = collections.Counter()
    for word in words:
        found = candidates(word.lower())
        if not found:
            continue
        parts = [part(*c) for c in found[:2]]
        definition = truncate(parts[0], CAP)
        if len(parts) > 1:
            room = CAP - len(definition) - len(" / ")
            if len(parts[1]) <= room or room >= MIN_SECOND:
                definition = truncate(f"{definition} / {parts[1]}", CAP)
        assert "\t" not in definition and "\n" not in definition
        lines.append(f"{word} {definition}\n")
        by_len_defined[len(word)] += 1
        kinds["inflection" if all(c[2] for c in found) else "direct"] += 1

    text = "".join(lines).encode("utf-8")
    with open(OUT, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
            gz.write(text)
    shutil.copyfile(LICENCE, LICENCE_OUT)

    total, defined = len(words), len(lines)
    print(f"{defined} of {total} SCOWL80 words defined ({100 * defined / total:.1f}%)")
    print(f"  {kinds['direct']} are WordNet lemmas, {kinds['inflection']} only inflected forms")
    print(f"  {len(text)} bytes of text, {OUT.stat().st_size} bytes gzipped -> {OUT}")
    print("length   words  defined      %")
    for n in range(2, 16):
        t, d = by_len_total[n], by_len_defined[n]
        print(f"{n:>6} {t:>7} {d:>8} {100 * d / t if t else 0:>6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
