"""Benchmark: what installing the wheel costs, without extras and with the site extra.

Builds the wheel, installs it into two fresh virtual environments (the core
install, and ``[site]``), and prints for each the installed size of
site-packages (on disk as ``du`` counts it, and as the sum of its files, with and
without the pip and setuptools every new environment carries) and the number of
distributions; then, in the core
environment, the wall time of ``emergence-atlas query --family palm`` and of
``python -c "import emergence_atlas; emergence_atlas.load()"`` (fresh processes,
outside any checkout), with the import/load split measured by package_load.py.
Needs the network or a package index for the dependencies. Prints figures,
asserts nothing.

    python benchmarks/install_size.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))
from package_load import measure  # noqa: E402

#: What every fresh virtual environment holds before anything is installed.
VENV_OWN = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "distutils-precedence.pth")


def build_wheel(out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True)
    (wheel,) = out.glob("emergence_atlas-*.whl")
    return wheel


def install(env: Path, requirement: str) -> tuple[Path, float]:
    """A fresh venv in ``env`` with ``requirement`` installed; its python and the install time in s."""
    venv.EnvBuilder(with_pip=True, clear=True).create(env)
    python = env / "bin" / "python"
    start = time.perf_counter()
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", requirement], check=True, capture_output=True)
    return python, time.perf_counter() - start


def site_packages(python: Path) -> Path:
    out = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                         check=True, capture_output=True, text=True)
    return Path(out.stdout.strip())


def size_mb(folder: Path, *, skip: tuple[str, ...] = ()) -> float:
    """Bytes of the files under ``folder`` (top-level names starting with ``skip`` left out), in MB."""
    total = 0
    for top in folder.iterdir():
        if top.name.startswith(skip):
            continue
        if top.is_file():
            total += top.stat().st_size
            continue
        for dirpath, _, files in os.walk(top):
            total += sum((Path(dirpath) / f).lstat().st_size for f in files)
    return total / 1e6


def disk_mb(folder: Path) -> float:
    """What ``du`` counts for ``folder`` (blocks on disk), in MB; NaN where there is no ``du``."""
    try:
        out = subprocess.run(["du", "-sk", str(folder)], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return float("nan")
    return int(out.split()[0]) * 1024 / 1e6


def distributions(folder: Path) -> list[str]:
    return sorted(p.name.split("-")[0] for p in folder.glob("*.dist-info"))


def wall_times(args: list[str], repeat: int) -> tuple[float, float]:
    """Best and median wall time in s of ``repeat`` runs of ``args`` (from a folder with no catalog)."""
    times = []
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True, cwd=cwd)
            times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    for name in ("PYTHONPATH", "VIRTUAL_ENV"):  # the venvs must import what they installed, not a checkout
        os.environ.pop(name, None)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wheel = build_wheel(tmp / "dist")
        print(f"wheel: {wheel.name}, {wheel.stat().st_size / 1e6:.1f} MB")
        rows = []
        pythons = {}
        for name, requirement in (("core", str(wheel)), ("[site]", f"{wheel}[site]")):
            python, seconds = install(tmp / name.strip("[]"), requirement)
            pythons[name] = python
            folder = site_packages(python)
            dists = distributions(folder)
            own = [d for d in dists if d.lower() in VENV_OWN]
            rows.append((name, disk_mb(folder), size_mb(folder), size_mb(folder, skip=VENV_OWN), len(dists),
                         len(dists) - len(own), seconds))
        print("site-packages: MB on disk (du), MB of files, MB of files beyond the venv's own pip and setuptools;")
        print("distributions with and without pip and setuptools; time of the pip install")
        print(f"{'install':<8} {'du MB':>6} {'MB':>7} {'w/o pip':>8} {'dists':>6} {'w/o pip':>8} {'pip install s':>14}")
        for name, du, mb, mb_own, n, n_own, seconds in rows:
            print(f"{name:<8} {du:>6.1f} {mb:>7.1f} {mb_own:>8.1f} {n:>6} {n_own:>8} {seconds:>14.1f}")
        core = pythons["core"]
        cli = str(core.parent / "emergence-atlas")
        query = wall_times([cli, "query", "--family", "palm"], args.repeat)
        load = wall_times([str(core), "-c", "import emergence_atlas; emergence_atlas.load()"], args.repeat)
        split = measure("packaged", tmp, None, args.repeat, python=str(core))
        print(f"core venv, best / median of {args.repeat} fresh processes:")
        print(f"  emergence-atlas query --family palm          {query[0]:.3f} s / {query[1]:.3f} s")
        print(f"  python -c 'import emergence_atlas; load()'   {load[0]:.3f} s / {load[1]:.3f} s "
              f"(in process: import {split['import']:.3f} s, load {split['load']:.3f} s)")
        print("goals: core install under 60 MB; query under 0.3 s")


if __name__ == "__main__":
    main()
