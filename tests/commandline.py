"""Test helpers: check that command lines name commands that exist, and validate GitHub files.

Workflows, pre-commit hooks and the contributor docs run ``emergence-atlas``, ``mkdocs``
and ``make``. This module finds those invocations in a shell script (or a Markdown
page) and checks each against the real thing: the click command groups of the package
and of MkDocs (subcommands, options, choices, argument counts) and the Makefile's
targets. It reads the programs' definitions and never runs them. :func:`schema_check`
validates workflows, issue forms and CITATION.cff against the schemas that check-jsonschema
ships (so it needs no network).
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

REPO = Path(__file__).resolve().parent.parent
MAKEFILE = REPO / "Makefile"

_CONTROL = set("();<>|&")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
#: Words that may stand before a command: shell keywords and wrappers.
_PREFIXES = {"!", "{", "if", "then", "else", "elif", "while", "until", "do", "exec", "time", "command"}
_PYTHON = re.compile(r"^python(?:3(?:\.\d+)?)?$")
#: ``python -m MODULE`` forms of the checked programs.
_MODULES = {"emergence_atlas": "emergence-atlas", "mkdocs": "mkdocs"}
#: make options that take the next token as their value.
_MAKE_OPTIONS_WITH_VALUE = {"-C", "-f", "-o", "-W", "-I", "-j", "-l", "--directory", "--file"}


def split_commands(script: str) -> list[list[str]]:
    """The simple commands of a shell script, as token lists (split at ; && || | and parentheses)."""
    script = script.replace("\\\n", " ")
    commands: list[list[str]] = []
    for line in script.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        try:
            tokens = list(lexer)
        except ValueError:  # unbalanced quotes: fall back to plain words
            tokens = line.split()
        current: list[str] = []
        for token in tokens:
            if token and set(token) <= _CONTROL:
                if current:
                    commands.append(current)
                current = []
            else:
                current.append(token)
        if current:
            commands.append(current)
    return commands


def invocations(script: str) -> Iterator[tuple[str, list[str]]]:
    """``(program, arguments)`` for every call of emergence-atlas, mkdocs or make in ``script``."""
    for tokens in split_commands(script):
        i = 0
        while i < len(tokens) and (_ASSIGNMENT.match(tokens[i]) or tokens[i] in _PREFIXES):
            i += 1
        if i >= len(tokens):
            continue
        name = tokens[i].rsplit("/", 1)[-1]
        if _PYTHON.match(name) and tokens[i + 1:i + 2] == ["-m"] and len(tokens) > i + 2:
            if tokens[i + 2] in _MODULES:
                yield _MODULES[tokens[i + 2]], tokens[i + 3:]
        elif name in PROGRAMS:
            yield name, tokens[i + 1:]


def _options(command: click.Command, prog: str) -> dict[str, click.Option]:
    ctx = click.Context(command, info_name=prog)
    return {opt: p for p in command.get_params(ctx) if isinstance(p, click.Option) for opt in p.opts + p.secondary_opts}


def check_click(group: click.Group, prog: str, args: list[str]) -> list[str]:
    """Problems with ``prog args`` against a click group: unknown subcommand, option or choice."""
    problems: list[str] = []
    command: click.Command = group
    path = prog
    args = list(args)
    while isinstance(command, click.Group):
        options = _options(command, path)
        while args and args[0].startswith("-"):
            head = args.pop(0)
            if head not in options:
                problems.append(f"{path}: no option {head!r}")
            elif options[head].is_eager:  # --help, --version: nothing else is needed
                return problems
        if not args:
            problems.append(f"{path}: no subcommand given (one of {', '.join(sorted(command.commands))})")
            return problems
        name = args.pop(0)
        if name not in command.commands:
            problems.append(f"{path}: no subcommand {name!r} (one of {', '.join(sorted(command.commands))})")
            return problems
        command = command.commands[name]
        path = f"{path} {name}"

    options = _options(command, path)
    given: set[str] = set()
    positional: list[str] = []
    while args:
        token = args.pop(0)
        if token == "--":
            positional.extend(args)
            break
        if not token.startswith("-") or token == "-":
            positional.append(token)
            continue
        name, has_value, value = token.partition("=")
        option = options.get(name)
        if option is None:
            problems.append(f"{path}: no option {name!r} (known: {', '.join(sorted(options))})")
            continue
        if option.is_eager:
            return problems
        given.add(option.name or name)
        if option.is_flag or option.count:
            continue
        if not has_value:
            if not args:
                problems.append(f"{path}: option {name!r} needs a value")
                continue
            value = args.pop(0)
        choices = getattr(option.type, "choices", None)
        if choices is not None and "$" not in value and value not in choices:
            problems.append(f"{path}: {value!r} is not a choice of {name} ({', '.join(map(str, choices))})")

    for option in set(options.values()):
        if option.required and option.name not in given:
            problems.append(f"{path}: missing required option {option.opts[-1]!r}")
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    required = sum(p.nargs if p.nargs > 0 else 1 for p in arguments if p.required)
    unlimited = any(p.nargs < 0 for p in arguments)
    allowed = sum(max(p.nargs, 0) for p in arguments)
    if len(positional) < required:
        problems.append(f"{path}: needs {required} argument(s), got {len(positional)}")
    if not unlimited and len(positional) > allowed:
        problems.append(f"{path}: takes {allowed} argument(s), got {len(positional)}: {positional}")
    return problems


def makefile_targets(makefile: Path = MAKEFILE) -> set[str]:
    """The named targets of a Makefile (rules whose target is a plain word)."""
    targets: set[str] = set()
    for line in makefile.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "\t #":
            continue
        match = re.match(r"^([^:=#]+?)\s*::?(?!=)", line)
        if match:
            targets.update(t for t in match.group(1).split() if "$" not in t and not t.startswith("."))
    return targets


def makefile_variable(name: str, makefile: Path = MAKEFILE) -> str:
    """The value of a simple ``NAME = value`` (or ``?=``, ``:=``) assignment in the Makefile."""
    for line in makefile.read_text(encoding="utf-8").splitlines():
        match = re.match(rf"^{re.escape(name)}\s*[?:]?=\s*(.*?)\s*$", line)
        if match:
            return match.group(1)
    raise KeyError(name)


def check_make(args: list[str]) -> list[str]:
    """Problems with ``make args``: targets the Makefile does not define."""
    targets = makefile_targets()
    problems = []
    args = list(args)
    while args:
        token = args.pop(0)
        if token in _MAKE_OPTIONS_WITH_VALUE:
            args = args[1:]
        elif token.startswith("-") or "=" in token:
            continue
        elif token not in targets:
            problems.append(f"make: no target {token!r} (targets: {', '.join(sorted(targets))})")
    return problems


def _emergence_atlas(args: list[str]) -> list[str]:
    from emergence_atlas.cli import main

    return check_click(main, "emergence-atlas", args)


def _mkdocs(args: list[str]) -> list[str]:
    from mkdocs.__main__ import cli

    return check_click(cli, "mkdocs", args)


PROGRAMS = {"emergence-atlas": _emergence_atlas, "mkdocs": _mkdocs, "make": check_make}


def check_script(script: str) -> tuple[list[str], list[str]]:
    """``(problems, checked)``: what is wrong in ``script``, and each invocation that was checked."""
    problems: list[str] = []
    checked: list[str] = []
    for program, args in invocations(script):
        checked.append(" ".join([program, *args]))
        problems.extend(PROGRAMS[program](args))
    return problems, checked


def schema_check(schema: str, *paths: Path) -> subprocess.CompletedProcess:
    """Run check-jsonschema on ``paths`` against its vendored schema ``schema`` (no network needed)."""
    if importlib.util.find_spec("check_jsonschema") is None:
        pytest.skip("check-jsonschema is not installed (it belongs in the test extra)")
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", f"vendor.{schema}",
                           *map(str, paths)], capture_output=True, text=True, timeout=120)
