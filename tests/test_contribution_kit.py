"""The contribution kit: CONTRIBUTING, the pull request template, the issue form, CITATION.cff, CHANGELOG.

Every command, field, code and path these files name must exist; the issue form's
dropdowns must equal the controlled vocabularies; versions must agree.
"""

from __future__ import annotations

import datetime
import re
import typing

import pytest
import yaml
from pydantic import BaseModel

from emergence_atlas._version import __version__
from emergence_atlas.diagnostics import CODES
from emergence_atlas.schema.models import ID_PATTERN, AbilityEntry, Curve, ModelFamily
from emergence_atlas.schema.vocabularies import VOCABULARIES

from .commandline import REPO, check_script, schema_check, split_commands

CONTRIBUTING = REPO / "CONTRIBUTING.md"
PR_TEMPLATE = REPO / ".github" / "PULL_REQUEST_TEMPLATE.md"
ISSUE_FORM = REPO / ".github" / "ISSUE_TEMPLATE" / "propose-ability.yml"
CHANGELOG = REPO / "CHANGELOG.md"
CITATION = REPO / "CITATION.cff"
REPOSITORY_URL = "https://github.com/emergence-atlas/emergence-atlas"

#: Issue-form dropdown id -> the vocabulary its options must equal.
DROPDOWN_VOCABULARIES = {"category": "category", "prompting-strategy": "prompting strategy",
                         "metric": "metric", "evidence": "evidence"}
#: Single words in code spans that are neither fields nor vocabulary values.
OTHER_WORDS = {"main", "make", "site", "code", "site_url"}  # site_url: a key of mkdocs.yml
#: Dropdowns that are about the issue itself, not a field of an entry.
OTHER_DROPDOWNS = {"kind"}


# --- what a Markdown page names ---

def code_spans(text: str) -> list[str]:
    """Inline code spans outside fenced blocks."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    spans = re.findall(r"`([^`]+)`", text)
    assert not [s for s in spans if "\n" in s], "a code span broken over two lines"
    return spans


def fenced_shell(text: str) -> list[str]:
    return re.findall(r"^```(?:sh|bash|console)\n(.*?)^```", text, flags=re.S | re.M)


def _model_in(annotation: object) -> type[BaseModel] | None:
    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
        stack.extend(typing.get_args(a))
    return None


def resolves(path: str, model: type[BaseModel] | None = AbilityEntry) -> bool:
    """Whether a dotted field path (``scale.params.basis``) exists in the entry schema."""
    for part in path.split("."):
        if model is None or part not in model.model_fields:
            return False
        model = _model_in(model.model_fields[part].annotation)
    return True


def all_field_names() -> set[str]:
    names: set[str] = set()
    seen: set[type] = set()
    todo: list[type[BaseModel]] = [AbilityEntry, ModelFamily, Curve]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            names.add(name)
            inner = _model_in(field.annotation)
            if inner is not None:
                todo.append(inner)
    return names


def vocabulary_values() -> set[str]:
    return {value for terms in VOCABULARIES.values() for value in terms}


def new_entry_ids(text: str) -> list[str]:
    return [tokens[2] for tokens in split_commands("\n".join(fenced_shell(text) + code_spans(text)))
            if tokens[:2] == ["emergence-atlas", "new"] and len(tokens) > 2]


def generated_folders() -> tuple[str, ...]:
    """Folders that .gitignore lists (``build/``, ``.cache/``...): made by commands, absent from a clean clone."""
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip().endswith("/") and not line.startswith("#"))


def unknown_names(text: str) -> list[str]:
    """Every command, field path, field name, value, diagnostic code and path in ``text`` that does not exist."""
    problems: list[str] = []
    # A span that is only a program's name mentions it; a span with arguments runs it.
    scripts = fenced_shell(text) + [s for s in code_spans(text)
                                    if len(s.split()) > 1 and s.split()[0] in {"emergence-atlas", "make", "mkdocs"}]
    for script in scripts:
        problems += check_script(script)[0]
    fields, values = all_field_names(), vocabulary_values()
    created = {f"catalog/abilities/{i}.yaml" for i in new_entry_ids(text)}
    for span in code_spans(text):
        if re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", span) and span.split(".")[0] in AbilityEntry.model_fields:
            if not resolves(span):
                problems.append(f"no field {span!r}")
        elif re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", span):
            if span not in fields | values | OTHER_WORDS:
                problems.append(f"{span!r} is neither a field nor a vocabulary value")
        elif re.fullmatch(r"[EW]\d{3}", span):
            if span not in CODES:
                problems.append(f"no diagnostic code {span!r}")
        elif (re.fullmatch(r"\.?[\w.-]+(/[\w.-]+)+/?|\.?[\w-]+\.(md|yml|yaml|cff|toml|bib)|LICENSE(-DATA)?", span)
              and span not in created and not span.startswith(generated_folders()) and not (REPO / span).exists()):
            problems.append(f"no file {span!r}")
    return problems


@pytest.mark.parametrize("text", [
    "Run `emergence-atlas lnt` first.",
    "```sh\nmake tset\n```\n",
    "Set `scale.params.valeu`.",
    "Use `few_shot_promting`.",
    "Set `basis: reported`, `disagrements` and `status`.",
    "Fix `E999`.",
    "Edit `catalog/abilites/x.yaml`.",
])
def test_a_name_that_does_not_exist_is_caught(text):
    assert len(unknown_names(text)) == 1


# --- CONTRIBUTING.md ---

def test_contributing_names_only_commands_fields_codes_and_files_that_exist():
    text = CONTRIBUTING.read_text(encoding="utf-8")
    assert unknown_names(text) == []


def test_contributing_covers_the_path_of_a_contribution():
    text = CONTRIBUTING.read_text(encoding="utf-8")
    commands = {" ".join(t) for s in fenced_shell(text) + code_spans(text) for t in split_commands(s)}
    for needed in ("emergence-atlas lint", "emergence-atlas lint --format github", "emergence-atlas schema --check",
                   "make setup", "make test"):
        assert needed in commands, needed
    for needed in ("catalog/_template.yaml", "catalog/references.bib", "disagreements", "basis", "locator",
                   "as_printed", "method", "source.evidence", ".github/workflows/pull-request.yml"):
        assert f"`{needed}`" in text, needed
    for value in ("reported", "derived", "estimated", *VOCABULARIES["evidence"]):
        assert f"`{value}`" in text, value


def test_the_new_command_example_creates_a_file_that_does_not_exist_yet():
    ids = new_entry_ids(CONTRIBUTING.read_text(encoding="utf-8"))
    assert ids, "CONTRIBUTING shows `emergence-atlas new ID`"
    for entry_id in ids:
        assert re.match(ID_PATTERN, entry_id) and len(entry_id) <= 80
        assert not (REPO / "catalog" / "abilities" / f"{entry_id}.yaml").exists()


def test_contributing_links_the_issue_form_and_its_own_anchors():
    text = CONTRIBUTING.read_text(encoding="utf-8")
    forms = re.findall(re.escape(REPOSITORY_URL) + r"/issues/new\?template=([\w.-]+)", text)
    assert forms == [ISSUE_FORM.name]
    slugs = {re.sub(r"[^\w\- ]", "", h.lower()).strip().replace(" ", "-")
             for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}
    anchors = re.findall(r"\]\(#([\w-]+)\)", text)
    assert anchors and set(anchors) <= slugs


def test_contributing_has_no_relative_links():
    # The same text is shown on GitHub (from the root) and on the site (from site/): only
    # absolute URLs and in-page anchors resolve in both places.
    links = re.findall(r"\]\(([^)]+)\)", CONTRIBUTING.read_text(encoding="utf-8"))
    assert links
    assert [link for link in links if not link.startswith(("https://", "#"))] == []


@pytest.mark.parametrize(("page", "source"), [("contributing.md", "CONTRIBUTING.md"), ("changelog.md", "CHANGELOG.md")])
def test_site_pages_include_the_root_files(page, source):
    assert (REPO / "site" / page).read_text(encoding="utf-8") == f'--8<-- "{source}"\n'
    assert (REPO / source).is_file()


def test_snippets_render_the_included_file():
    import markdown

    html = markdown.markdown((REPO / "site" / "contributing.md").read_text(encoding="utf-8"),
                             extensions=["pymdownx.snippets"],
                             extension_configs={"pymdownx.snippets": {"base_path": [str(REPO)], "check_paths": True}})
    assert "<h1>Contributing</h1>" in html
    assert "--8&lt;--" not in html and "--8<--" not in html


# --- the pull request template ---

def test_pull_request_template_checklist():
    text = PR_TEMPLATE.read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, flags=re.M)
    for needed in ("emergence-atlas lint", "locator", "own words", "disagreements", "One claim per file"):
        assert any(needed in item for item in items), needed
    assert unknown_names(text) == []


# --- the issue form ---

def issue_form() -> dict:
    return yaml.safe_load(ISSUE_FORM.read_text(encoding="utf-8"))


def test_issue_form_matches_the_github_issue_form_schema():
    result = schema_check("github-issue-forms", ISSUE_FORM)
    assert result.returncode == 0, result.stdout + result.stderr


def dropdown_mismatches(form: dict) -> list[str]:
    """Dropdowns of the form whose options differ from their vocabulary, or that have none."""
    dropdowns = {item["id"]: item["attributes"]["options"] for item in form["body"] if item["type"] == "dropdown"}
    problems = [f"dropdown {i!r} has no vocabulary" for i in sorted(set(dropdowns) - set(DROPDOWN_VOCABULARIES) - OTHER_DROPDOWNS)]
    for field, vocabulary in DROPDOWN_VOCABULARIES.items():
        if dropdowns.get(field) != list(VOCABULARIES[vocabulary]):
            problems.append(f"dropdown {field!r} differs from the {vocabulary} vocabulary")
    return problems


def test_issue_form_dropdowns_equal_the_vocabularies():
    assert dropdown_mismatches(issue_form()) == []


def test_a_drifted_dropdown_is_caught():
    form = issue_form()
    strategy = next(item for item in form["body"] if item.get("id") == "prompting-strategy")
    strategy["attributes"]["options"] = strategy["attributes"]["options"][:-1]
    form["body"].append({"type": "dropdown", "id": "status", "attributes": {"label": "Status", "options": ["reported"]}})
    assert dropdown_mismatches(form) == ["dropdown 'status' has no vocabulary",
                                         "dropdown 'prompting-strategy' differs from the prompting strategy vocabulary"]


def test_issue_form_asks_for_every_field_of_a_claim():
    form = issue_form()
    assert form["name"] == "Propose or correct an ability"
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    for needed in ("ability", "benchmark", "task", "category", "prompting-strategy", "model-family", "model-size",
                   "params-as-printed", "flops-as-printed", "metric", "source", "locator", "evidence", "description",
                   "disagreements", "entry-id"):
        assert needed in fields, needed
    required = {i for i, item in fields.items() if item.get("validations", {}).get("required")}
    assert {"kind", "ability", "source", "locator", "evidence"} <= required


TEXT_KEYS = {"label", "description", "placeholder", "value", "name", "title"}


def non_text(node, found=None) -> tuple[list, dict]:
    """``(problems, counts)``: every text key (and option) of an issue form whose value is not a string,
    and how many of each key were seen (so a form without them cannot pass unseen)."""
    found = {} if found is None else found
    problems = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS:
                found[key] = found.get(key, 0) + 1
                if not isinstance(value, str):
                    problems.append((key, value))
            if key == "options":
                for option in value:
                    found["option"] = found.get("option", 0) + 1
                    label = option.get("label") if isinstance(option, dict) else option
                    if not isinstance(label, str):
                        problems.append(("options", option))
            problems.extend(non_text(value, found)[0])
    elif isinstance(node, list):
        for value in node:
            problems.extend(non_text(value, found)[0])
    return problems, found


def test_issue_form_text_is_text():
    # YAML turns 2.3E+22, 13e9, yes or no into numbers and booleans; GitHub wants strings.
    problems, found = non_text(issue_form())
    assert problems == []
    assert {"name", "description", "title", "label", "placeholder", "option"} <= set(found)
    assert found["label"] >= 16 and found["option"] >= len(VOCABULARIES["prompting strategy"])


def test_a_number_in_the_issue_form_is_caught():
    form = {"name": "x", "body": [{"type": "input", "attributes": {"label": "FLOPs", "placeholder": 2.3e22}},
                                  {"type": "dropdown", "attributes": {"label": "yes?", "options": [True, "no"]}}]}
    problems, found = non_text(form)
    assert problems == [("placeholder", 2.3e22), ("options", True)]
    assert found == {"name": 1, "label": 2, "placeholder": 1, "option": 2}


# --- CITATION.cff ---

def citation() -> dict:
    return yaml.safe_load(CITATION.read_text(encoding="utf-8"))


def test_citation_version_is_the_package_version():
    assert citation()["version"] == __version__


def test_citation_describes_the_dataset():
    cff = citation()
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == "Emergence Atlas"
    assert cff["type"] == "dataset"
    assert cff["license"] == "CC-BY-4.0"
    assert cff["repository-code"] == REPOSITORY_URL
    assert cff["authors"] == [{"name": "The Emergence Atlas contributors"}]


def test_citation_matches_the_citation_file_format_schema():
    result = schema_check("citation-file-format", CITATION)
    assert result.returncode == 0, result.stdout + result.stderr


# --- CHANGELOG.md ---

KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


def changelog_problems(text: str, version: str) -> list[str]:
    """What is wrong with a Keep a Changelog file for a package at ``version``."""
    problems = []
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    if not headings or headings[0] != "[Unreleased]":
        problems.append("the newest heading must be '## [Unreleased]'")
    released = []
    for heading in headings[1:] if headings[:1] == ["[Unreleased]"] else headings:
        match = re.fullmatch(r"\[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})", heading)
        if not match:
            problems.append(f"heading {heading!r} is not '[X.Y.Z] - YYYY-MM-DD'")
            continue
        try:
            datetime.date.fromisoformat(match.group(2))
        except ValueError:
            problems.append(f"heading {heading!r} has no valid date")
        released.append(match.group(1))
    if [_version(v) for v in released] != sorted((_version(v) for v in released), reverse=True):
        problems.append("released versions are not newest first")
    if released and _version(released[0]) > _version(version):
        problems.append(f"the newest release {released[0]} is newer than the package version {version}")
    for label in re.findall(r"^## \[([^\]]+)\]", text, flags=re.M):
        if not re.search(rf"^\[{re.escape(label)}\]: https://", text, flags=re.M):
            problems.append(f"no link for [{label}]")
    for kind in re.findall(r"^### (.+)$", text, flags=re.M):
        if kind not in KINDS:
            problems.append(f"'### {kind}' is not a Keep a Changelog kind")
    unreleased = text.split("## [Unreleased]", 1)[-1].split("\n## ", 1)[0]
    if not re.search(r"^- ", unreleased, flags=re.M) and version not in released:
        problems.append(f"version {version} is neither released nor described under [Unreleased]")
    return problems


def test_changelog_newest_heading_is_present_and_well_formed():
    assert changelog_problems(CHANGELOG.read_text(encoding="utf-8"), __version__) == []


@pytest.mark.parametrize(("text", "problem"), [
    ("# Changelog\n\n## [0.1.0] - 2026-12-01\n\n### Added\n\n- x\n\n[0.1.0]: https://x\n", "newest heading"),
    ("# Changelog\n\n## [Unreleased]\n\n### Added\n\n- x\n\n[Unreleased]: https://x\n", None),
    ("# Changelog\n\n## [Unreleased]\n\n- y\n\n## [0.2.0] - 2026-12-01\n\n### Added\n\n- x\n\n"
     "[Unreleased]: https://x\n[0.2.0]: https://x\n", "newer than the package version"),
    ("# Changelog\n\n## [Unreleased]\n\n### New stuff\n\n- x\n\n[Unreleased]: https://x\n", "kind"),
    ("# Changelog\n\n## [Unreleased]\n\n### Added\n\n- x\n", "no link"),
    ("# Changelog\n\n## [Unreleased]\n\n[Unreleased]: https://x\n", "neither released nor described"),
    ("# Changelog\n\n## [Unreleased]\n\n- y\n\n## [0.1.0] - 2026-13-01\n\n### Added\n\n- x\n\n"
     "[Unreleased]: https://x\n[0.1.0]: https://x\n", "no valid date"),
])
def test_a_broken_changelog_is_caught(text, problem):
    problems = changelog_problems(text, "0.1.0")
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0], problems


# --- the browser requirement (CI runs the browser tests; they may not skip there) ---

def test_required_browser_tests_name_what_is_missing():
    from .conftest import browser_required, missing_browser_parts

    assert browser_required({"EMERGENCE_ATLAS_REQUIRE_BROWSER": "1"})
    assert not browser_required({})
    assert missing_browser_parts(find_spec=lambda name: None, which=lambda name: "/usr/bin/chromium") == [
        "Playwright (pip install -e '.[test]')"]
    assert missing_browser_parts(find_spec=lambda name: object(), which=lambda name: "/usr/bin/chromium") == []


def test_ci_requires_the_browser_tests():
    assert "export EMERGENCE_ATLAS_REQUIRE_BROWSER=1" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
