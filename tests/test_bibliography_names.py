"""Author names from references.bib: split first, then LaTeX decoded for display."""

from __future__ import annotations

from pathlib import Path

from emergence_atlas.bibliography import load_bibliography, parse_bibliography

REPO = Path(__file__).resolve().parent.parent

RECORD = r"""@misc{x2023,
  title  = {A {GPT} study of Sch{\"a}rli's 50\% rule},
  author = {Liao, Thomas I. and Luko{\v{s}}i{\={u}}t{\.{e}}, Kamil{\.{e}} and {\'O} h{\'E}igeartaigh, Se{\'a}n and {The Floating Droid} and others},
  howpublished = {arXiv},
  year   = {2023},
}
"""


def test_names_are_split_then_decoded():
    refs, diags = parse_bibliography(RECORD, Path("refs.bib"))
    assert diags == []
    ref = refs["x2023"]
    assert ref.authors == ("Thomas I. Liao", "Kamilė Lukošiūtė", "Seán Ó hÉigeartaigh", "The Floating Droid", "others")
    assert ref.title == "A GPT study of Schärli's 50% rule"
    assert ref.short_citation == "Liao et al. 2023"


def test_no_name_or_title_of_the_real_bibliography_keeps_latex():
    refs, diags = load_bibliography(REPO / "catalog" / "references.bib")
    assert diags == [] and len(refs) > 50
    leftovers = [(k, text) for k, r in refs.items() for text in (r.title, *r.authors)
                 if "\\" in text or "{" in text or "}" in text]
    assert leftovers == []
    assert "Kamilė Lukošiūtė" in refs["ganguli2023capacity"].authors
    assert refs["ganguli2023capacity"].authors[:5] == (
        "Deep Ganguli", "Amanda Askell", "Nicholas Schiefer", "Thomas I. Liao", "Kamilė Lukošiūtė")
