"""The GitHub workflows and the pre-commit hooks: valid, pinned, and running commands that exist."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess

import pytest
import yaml

from .commandline import REPO, check_script, makefile_variable, schema_check, split_commands

WORKFLOWS = REPO / ".github" / "workflows"
WORKFLOW_FILES = ["pull-request.yml", "pages.yml", "release.yml"]
#: owner/repo[/path]@vN or @release/vN: a major version, never a branch, a minor version or a bare sha.
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_./-]+)?@(?:release/)?v\d+$")


def load_workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), name
    return data


def triggers(workflow: dict) -> dict:
    """The ``on:`` mapping (PyYAML reads the bare key ``on`` as True)."""
    on = workflow.get("on", workflow.get(True))
    return on if isinstance(on, dict) else {event: None for event in ([on] if isinstance(on, str) else on)}


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def unpinned_actions(workflow: dict) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step and not PINNED.match(step["uses"])]


def run_problems(workflow: dict) -> tuple[list[str], list[str]]:
    problems, checked = [], []
    for step in steps(workflow):
        if "run" in step:
            p, c = check_script(step["run"])
            problems += [f"step {step.get('name', step['run'][:30])!r}: {x}" for x in p]
            checked += c
    return problems, checked


def find_step(workflow: dict, command: str) -> dict:
    """The one step whose script runs ``command`` (comments and echoed text do not count)."""
    needle = " ".join(shlex.split(command))
    matches = [s for s in steps(workflow)
               if any(needle in " ".join(tokens) for tokens in split_commands(s.get("run", "")))]
    assert len(matches) == 1, f"expected one step running {command!r}, found {len(matches)}"
    return matches[0]


def actions_used(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(workflow) if "uses" in step]


def test_the_three_workflows_exist_and_nothing_else():
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == sorted(WORKFLOW_FILES)


def test_workflows_match_the_github_workflow_schema():
    result = schema_check("github-workflows", *(WORKFLOWS / name for name in WORKFLOW_FILES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_workflow_is_rejected_by_the_schema(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: Broken\non:\n  pull_request:\njobs:\n  check:\n    runs-on: ubuntu-latest\n"
                      "    stepz:\n      - run: make test\n", encoding="utf-8")
    result = schema_check("github-workflows", broken)
    assert result.returncode == 1
    assert "stepz" in result.stdout + result.stderr


# --- actions pinned to major versions ---

@pytest.mark.parametrize("name", WORKFLOW_FILES)
def test_actions_are_pinned_to_a_major_version(name):
    workflow = load_workflow(name)
    assert actions_used(workflow), "a workflow without actions: nothing was checked"
    assert unpinned_actions(workflow) == []


def test_unpinned_actions_are_caught():
    workflow = {"jobs": {"a": {"steps": [{"uses": "actions/checkout@main"}, {"uses": "actions/checkout@v4.1.2"},
                                         {"uses": "actions/checkout@v6"}, {"uses": "pypa/gh-action-pypi-publish@release/v1"},
                                         {"uses": "actions/setup-python@0123456789abcdef"}]}}}
    assert unpinned_actions(workflow) == ["actions/checkout@main", "actions/checkout@v4.1.2",
                                          "actions/setup-python@0123456789abcdef"]


# --- every command a workflow runs exists ---

@pytest.mark.parametrize(("name", "expected"), [
    ("pull-request.yml", {"emergence-atlas lint --format github", "emergence-atlas schema --check", "make test",
                          "mkdocs build --strict"}),
    ("pages.yml", {"emergence-atlas lint --format github", "mkdocs build --strict"}),
    ("release.yml", set()),
])
def test_every_command_a_workflow_runs_exists(name, expected):
    problems, checked = run_problems(load_workflow(name))
    assert problems == []
    assert set(checked) == expected


@pytest.mark.parametrize(("script", "problem"), [
    ("emergence-atlas lnt", "no subcommand 'lnt'"),
    ("emergence-atlas lint --formt github", "no option '--formt'"),
    ("emergence-atlas lint --format gitlab", "'gitlab' is not a choice of --format"),
    ("emergence-atlas export -o catalog.json", "missing required option '--format'"),
    ("emergence-atlas new", "needs 1 argument(s)"),
    ("python -m emergence_atlas frobnicate", "no subcommand 'frobnicate'"),
    ("pip install -e . && make tset", "no target 'tset'"),
    ("mkdocs biuld --strict", "no subcommand 'biuld'"),
    ("NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strikt", "no option '--strikt'"),
    ("if true; then\n  emergence-atlas schema --chek\nfi", "no option '--chek'"),
])
def test_a_command_that_does_not_exist_is_caught(script, problem):
    workflow = {"jobs": {"a": {"steps": [{"name": "broken", "run": script}]}}}
    problems, checked = run_problems(workflow)
    assert len(checked) == 1
    assert len(problems) == 1 and problem in problems[0], problems


# --- what each workflow must do ---

def test_pull_request_workflow_lints_tests_and_builds():
    workflow = load_workflow("pull-request.yml")
    assert set(triggers(workflow)) == {"pull_request"}
    (job,) = workflow["jobs"].values()
    container = job["container"] if isinstance(job["container"], str) else job["container"]["image"]
    assert re.match(r"^python:3\.11-(bookworm|trixie)$", container), "Python 3.11 on Debian"
    install = find_step(workflow, "pip install -e '.[test]'")
    stamp = makefile_variable("STAMP").replace("$(VENV)", makefile_variable("VENV"))
    assert f"touch {stamp}" in install["run"], "make test must reuse the installed environment"
    assert "apt-get install" in find_step(workflow, "chromium")["run"]
    assert find_step(workflow, "make test")["env"] == {"EMERGENCE_ATLAS_REQUIRE_BROWSER": "1"}
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-artifact@"))
    order = [steps(workflow).index(find_step(workflow, command)) for command in
             ("pip install -e '.[test]'", "emergence-atlas lint", "apt-get install", "make test", "mkdocs build")]
    order.append(steps(workflow).index(upload))
    assert order == sorted(order) and len(set(order)) == len(order)
    assert upload["with"]["path"] == site_dir()


def test_a_job_that_builds_the_site_installs_the_site_extra_first():
    """The core install has no MkDocs: a job running ``mkdocs`` installs ``[site]`` (or ``[test]``, which holds it)."""
    builds = 0
    for name in WORKFLOW_FILES:
        for job_name, job in load_workflow(name)["jobs"].items():
            scripts = [" ".join(" ".join(t) for t in split_commands(step.get("run", ""))) for step in job.get("steps", [])]
            for index, script in enumerate(scripts):
                if re.search(r"\bmkdocs (build|serve)\b", script):
                    builds += 1
                    installs = [s for s in scripts[:index] if re.search(r"pip install (-e )?\.\[[^]]*\b(site|test)\b", s)]
                    assert installs, f"{name} job {job_name}: mkdocs runs before any install of the site extra"
    assert builds == 2  # pull-request.yml and pages.yml


def test_pages_workflow_deploys_main_with_the_official_actions():
    workflow = load_workflow("pages.yml")
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= set(actions_used(workflow))
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == site_dir()
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["permissions"] == {"contents": "read"}


def test_release_workflow_builds_and_publishes_on_version_tags():
    workflow = load_workflow("release.yml")
    assert triggers(workflow)["push"] == {"tags": ["v*"]}
    assert "python -m build" in find_step(workflow, "python -m build")["run"]
    release = find_step(workflow, "gh release create")
    assert "dist/*" in release["run"]
    assert workflow["jobs"]["github-release"]["permissions"] == {"contents": "write"}
    assert workflow["jobs"]["pypi"]["permissions"] == {"id-token": "write"}
    assert "pypa/gh-action-pypi-publish" in actions_used(workflow)


def site_dir() -> str:
    """``site_dir`` of mkdocs.yml (read without running any YAML tag)."""
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    return config["site_dir"]


# --- the release notes come from CHANGELOG.md ---

def release_notes_awk() -> str:
    run = find_step(load_workflow("release.yml"), "gh release create")["run"]
    match = re.search(r"awk -v heading=\"[^\"]*\" '(.*?)' CHANGELOG\.md", run, re.S)
    assert match, "the release step extracts its notes from CHANGELOG.md with awk"
    return match.group(1)


def test_release_notes_are_the_changelog_section_of_the_tag(tmp_path):
    awk = shutil.which("awk")
    if awk is None:
        pytest.skip("awk is not installed")
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [Unreleased]\n\n- next\n\n## [0.2.0] - 2027-01-02\n\n### Added\n\n"
                         "- two\n\n## [0.1.0] - 2026-12-01\n\n### Added\n\n- one\n\n"
                         "[Unreleased]: https://example.org/u\n[0.2.0]: https://example.org/2\n", encoding="utf-8")

    def notes(version: str) -> str:
        return subprocess.run([awk, "-v", f"heading=## [{version}]", release_notes_awk(), str(changelog)],
                              capture_output=True, text=True, check=True).stdout

    assert notes("0.2.0") == "\n### Added\n\n- two\n\n"
    assert notes("0.1.0") == "\n### Added\n\n- one\n\n"
    assert notes("0.3.0") == ""


# --- pre-commit hooks ---

def pre_commit_hooks() -> dict[str, dict]:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    return {hook["id"]: hook for hook in repo["hooks"]}


def test_pre_commit_hooks_run_the_project_cli():
    hooks = pre_commit_hooks()
    assert set(hooks) == {"emergence-atlas-lint", "emergence-atlas-schema"}
    for hook in hooks.values():
        assert hook["language"] in {"system", "python"}
        problems, checked = check_script(hook["entry"])
        assert problems == [] and len(checked) == 1, (hook["id"], problems)
    # lint-changed takes the changed file names; schema --check takes none
    assert hooks["emergence-atlas-lint"]["pass_filenames"] is True
    assert hooks["emergence-atlas-schema"]["pass_filenames"] is False
    assert hooks["emergence-atlas-lint"]["entry"] == "emergence-atlas lint-changed"
    assert hooks["emergence-atlas-schema"]["entry"] == "emergence-atlas schema --check"


@pytest.mark.parametrize(("hook", "path", "runs"), [
    ("emergence-atlas-lint", "catalog/abilities/arithmetic-3-digit-gpt-3-13b.yaml", True),
    ("emergence-atlas-lint", "catalog/references.bib", True),
    ("emergence-atlas-lint", "catalog/models/palm.yaml", True),
    ("emergence-atlas-lint", "README.md", False),
    ("emergence-atlas-lint", "tests/fixtures/valid/references.bib", False),
    ("emergence-atlas-schema", "src/emergence_atlas/schema/vocabularies.py", True),
    ("emergence-atlas-schema", "src/emergence_atlas/schema/models.py", True),
    ("emergence-atlas-schema", "src/emergence_atlas/jsonschema.py", True),
    ("emergence-atlas-schema", "schema/ability.schema.json", True),
    ("emergence-atlas-schema", "src/emergence_atlas/cli.py", False),
    ("emergence-atlas-schema", "catalog/abilities/arithmetic-3-digit-gpt-3-13b.yaml", False),
])
def test_pre_commit_hooks_run_when_their_files_change(hook, path, runs):
    assert (REPO / path).exists(), path
    assert bool(re.search(pre_commit_hooks()[hook]["files"], path)) is runs
