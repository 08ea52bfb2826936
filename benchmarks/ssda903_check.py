"""Time ``carereview ssda903 check`` against the DfE validator on one SSDA903 folder.

    python benchmarks/ssda903_check.py [--children 20000 200000] [--runs 5]
    python benchmarks/ssda903_check.py DIR [--runs 5]

Each side runs as a whole process, as a person would run it: ``carereview ssda903 check DIR``
(the entry point of the Python running this script) and the validator
(``csc-validator-be-903`` 0.1.17, only the eight review rules, through
``tools/be903_validator.py --inner`` in its own environment, made on first use). One untimed
run of each comes first (file cache, bytecode), then ``--runs`` timed runs; the table gives the
median and fastest wall time, the peak resident memory of each process (``os.wait4``), and the
ratios. Issue 3 asks for 10x the speed and at most a third of the memory at 200,000 children,
5x the speed at 20,000.

By default it builds one folder per size with ``carereview synth --children N --ssda903 DIR
--no-load`` (the synthetic authority: five years of history a child) under ``var/benchmarks/``,
once, and times both sides on each.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

import be903_validator  # noqa: E402


@dataclass
class Timing:
    name: str
    seconds: list[float]
    peak_rss_mb: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_rss_mb)


def _environment() -> dict[str, str]:
    """This environment, letting Python write bytecode caches (as an installed system has)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one run; fails loudly on a bad exit."""
    with open(os.devnull, "wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE, env=_environment())  # noqa: S603
        stderr = process.stderr.read() if process.stderr else b""
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}):\n{stderr.decode()[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def measure(name: str, command: list[str], runs: int) -> Timing:
    run_once(command)  # untimed: warms the file cache and writes bytecode caches
    timing = Timing(name, [], [])
    for _ in range(runs):
        seconds, rss = run_once(command)
        timing.seconds.append(seconds)
        timing.peak_rss_mb.append(rss)
        print(f"  {name}: {seconds:.2f} s, {rss:.0f} MB", file=sys.stderr)
    return timing


def ours_command(folder: Path, as_at: str) -> list[str]:
    entry = Path(sys.executable).parent / "carereview"
    base = [str(entry)] if entry.exists() else [sys.executable, "-m", "carereview"]
    return [*base, "ssda903", "check", str(folder), "--as-at", as_at, "--format", "json"]


def validator_command(folder: Path) -> list[str]:
    python = be903_validator.ensure_venv()
    return [str(python), str(Path(be903_validator.__file__).resolve()), "--inner", str(folder)]


def describe(folder: Path) -> str:
    sizes = []
    for name in ("header", "episodes", "reviews"):
        path = folder / f"{name}.csv"
        if path.exists():
            with path.open("rb") as f:
                sizes.append(f"{sum(1 for _ in f) - 1} {name}")
    return ", ".join(sizes) or str(folder)


def synth_folder(children: int, seed: int, as_at: str) -> Path:
    """A 903 folder of `children` built by `carereview synth` (made once, then reused)."""
    folder = REPO / "var" / "benchmarks" / f"synth-{children}-seed{seed}-{as_at}"
    if not (folder / "reviews.csv").exists():
        entry = Path(sys.executable).parent / "carereview"
        base = [str(entry)] if entry.exists() else [sys.executable, "-m", "carereview"]
        command = [*base, "synth", "--children", str(children), "--seed", str(seed)]
        command += ["--as-at", as_at, "--ssda903", str(folder), "--no-load"]
        print(f"building {folder} with: {' '.join(command[-9:])}", file=sys.stderr)
        subprocess.run(command, check=True, env=_environment())  # noqa: S603
    return folder


def report(folder: Path, args) -> dict:
    timings = [measure("carereview ssda903 check", ours_command(folder, args.as_at), args.runs)]
    if args.plain:
        plain = [sys.executable, "-m", "carereview.ssda903.cli", str(folder), "--as-at", args.as_at]
        timings.append(measure("... without Django (plain cli)", plain, args.runs))
    if not args.skip_validator:
        timings.append(
            measure("csc-validator-be-903 (8 rules)", validator_command(folder), args.runs)
        )

    data = describe(folder)
    print(f"\nSSDA903 check benchmark: {data}; median of {args.runs} runs\n")
    print(f"| {'command':<32} | {'median s':>8} | {'min s':>7} | {'peak RSS MB':>11} |")
    print(f"|{'-' * 34}|{'-' * 9}:|{'-' * 8}:|{'-' * 12}:|")
    for t in timings:
        print(f"| {t.name:<32} | {t.median:>8.2f} | {min(t.seconds):>7.2f} | {t.peak:>11.0f} |")
    figures = {"data": data, "runs": args.runs, "results": [t.__dict__ for t in timings]}
    if not args.skip_validator:
        theirs = timings[-1]
        print()
        for ours in timings[:-1]:
            speed, memory = theirs.median / ours.median, theirs.peak / ours.peak
            print(f"{ours.name}: {speed:.1f}x faster, {memory:.1f}x less memory than the validator")
            figures.setdefault("ratios", {})[ours.name] = {"speed": speed, "memory": memory}
    sys.stdout.flush()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, help="time this folder instead")
    parser.add_argument(
        "--children",
        type=int,
        nargs="+",
        default=[20_000, 200_000],
        help="sizes to build with carereview synth and time (default: 20000 200000)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--as-at", default="2026-03-31")
    parser.add_argument("--skip-validator", action="store_true")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="also time the check without Django (python -m carereview.ssda903.cli)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    if args.folder is not None:
        if not args.folder.is_dir():
            parser.error(f"{args.folder} is not a folder")
        folders = [args.folder]
    else:
        folders = [synth_folder(n, args.seed, args.as_at) for n in args.children]
    figures = [report(folder, args) for folder in folders]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
