"""Counts stated in the prose of hand-written pages agree with the catalog.

Every phrase of the form "<number> ... entries/entry/topics" on a hand-written page
must be one of the statements below, each checked against a count computed from
the real catalog; a new typed count that is not registered here fails the test.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
NUMBER = r"([0-9]+|" + "|".join(WORDS) + r")"
COUNT_PHRASE = re.compile(r"(?<![0-9.,])\b" + NUMBER + r"(?: [A-Za-z0-9-]+){0,3} (?:entries|entry|topics)\b", re.IGNORECASE)
PAGES = sorted((REPO / "site").glob("*.md"))


def value(text: str) -> int:
    return int(text) if text.isdigit() else WORDS[text.lower()]


@pytest.fixture(scope="module")
def catalog(real_catalog):
    return real_catalog


def _inferred(entry) -> bool:
    return entry.source.evidence is not None and entry.source.evidence.value == "inferred"


#: (page, the phrase as a regex with its number in group 1, the count it must equal, why)
STATEMENTS = [
    ("methodology.md", r"\*\*" + NUMBER + r" BIG-Bench entries at PaLM 540B are inferred",
     lambda c: sum(1 for e in c if _inferred(e) and e.task.benchmark == "BIG-Bench"
                   and e.model.family == "palm" and e.model.size == "540B"),
     "inferred BIG-Bench entries at PaLM 540B"),
    ("methodology.md", NUMBER + r" more entry is inferred the same way",
     lambda c: sum(1 for e in c if _inferred(e)) - sum(1 for e in c if _inferred(e) and e.task.benchmark == "BIG-Bench"),
     "inferred entries outside BIG-Bench"),
    ("methodology.md", r"puts " + NUMBER + r" MMLU topics at \"Chinchilla 7B\"",
     lambda c: sum(1 for e in c if e.id.startswith("mmlu-") and e.id.endswith("-chinchilla-7b")),
     "MMLU topic entries at Chinchilla 7B"),
    ("methodology.md", r"Chinchilla 70B; " + NUMBER + r" could be read",
     lambda c: sum(1 for e in c if e.id.startswith("mmlu-") and e.id.endswith("-chinchilla-70b")
                   and e.source.key == "wei2022137"),
     "MMLU topic entries at Chinchilla 70B from the list"),
]

#: Phrases that are not counts of catalog records (checked by hand, kept short).
NOT_CATALOG_COUNTS = {
    ("downloads.md", "one row per entry"), ("downloads.md", "One row per entry"),
    ("methodology.md", "two families is two entries"),
    ("methodology.md", "Four MMLU topics"),  # the list's topics that could not be read (44 - 40)
    ("methodology.md", "44 MMLU topics"),    # what the external list states
    ("performance.md", "000 entries"),       # synthetic benchmark sizes
}


@pytest.mark.parametrize(("page", "pattern", "count", "what"), STATEMENTS, ids=[s[3] for s in STATEMENTS])
def test_stated_count_matches_the_catalog(catalog, page, pattern, count, what):
    text = " ".join((REPO / "site" / page).read_text(encoding="utf-8").split())
    found = re.search(pattern, text, re.IGNORECASE)
    assert found, f"{page}: the statement about {what} is gone; update STATEMENTS"
    assert value(found.group(1)) == count(catalog), f"{page}: says {found.group(1)} {what}, the catalog has {count(catalog)}"


def test_every_count_phrase_is_registered():
    assert PAGES, "no hand-written pages found"
    unregistered = []
    for path in PAGES:
        prose = re.sub(r"```.*?```", " ", path.read_text(encoding="utf-8"), flags=re.S)  # printed output is not prose
        text = " ".join(prose.split())
        spans = [m.span() for page, p, _, _ in STATEMENTS if page == path.name
                 for m in [re.search(p, text, re.IGNORECASE)] if m]
        for match in COUNT_PHRASE.finditer(text):
            phrase = match.group(0)
            if (path.name, phrase) in NOT_CATALOG_COUNTS:
                continue
            if any(start <= match.start() < end for start, end in spans):
                continue
            unregistered.append(f"{path.name}: {phrase!r}")
    assert unregistered == []


def test_folded_text_never_breaks_a_word():
    """A YAML folded line ending in 'word-' would be joined as 'word- next' on the page."""
    broken = []
    for path in sorted((REPO / "catalog").rglob("*.yaml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"[A-Za-z0-9]-$", line) and not re.match(r"^\s*-\s*$", line):
                broken.append(f"{path.relative_to(REPO)}:{n}")
    assert broken == []


def test_cited_elsewhere_places_really_cite_their_works():
    """Every place in catalog/cited-elsewhere.yaml exists and cites each work it lists."""
    import yaml

    data = yaml.safe_load((REPO / "catalog" / "cited-elsewhere.yaml").read_text(encoding="utf-8"))
    assert data["places"], "no places listed"
    for place in data["places"]:
        path = REPO / place["path"]
        assert path.is_file(), place["path"]
        text = path.read_text(encoding="utf-8")
        for key in place["keys"]:
            assert f"references/{key}.md" in text or key in text, (place["path"], key)
