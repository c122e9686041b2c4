"""Assemble docs/benchmarks.md from the sections each benchmark writes (docs/benchmarks_*.md)."""

from __future__ import annotations

import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ORDER = ["grouping", "import", "search", "live", "pages", "mentoring", "health"]


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    cores = sum(1 for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("processor"))
    mem = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return f"{cores} × {cpu}, {mem} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> None:
    sections = sorted(
        DOCS.glob("benchmarks_*.md"),
        key=lambda p: (
            ORDER.index(p.stem.split("_", 1)[1]) if p.stem.split("_", 1)[1] in ORDER else 99,
            p.name,
        ),
    )
    parts = [
        "# Benchmarks\n",
        "Run them all with `scripts/bench` (or one with `.venv/bin/python benchmarks/NAME.py`); each measures "
        "against a baseline in the same run and rewrites its own section (`docs/benchmarks_*.md`), which "
        "this page gathers. Speed is shown here, never by timed tests.\n",
        f"Machine of the last assembly: {machine()}. Each section states the load and versions of its own run.\n",
    ]
    for path in sections:
        parts.append(path.read_text(encoding="utf-8").strip() + "\n")
    (DOCS / "benchmarks.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"docs/benchmarks.md: {len(sections)} sections")


if __name__ == "__main__":
    main()
