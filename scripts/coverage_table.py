"""Write docs/coverage.md from the knowledge base (article -> rule/topic).

Usage: ``.tools/bin/uv run python scripts/coverage_table.py`` (``--check`` only reports
whether the committed file is up to date and exits 1 when it is not).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "coverage.md"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) docs/coverage.md; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from knowledge.coverage import coverage_markdown, uncovered_provisions

    text = coverage_markdown() + "\n"
    missing = uncovered_provisions()
    for item in missing:
        print(f"no topic covers {item.institution} {item.article}", file=sys.stderr)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run scripts/coverage_table.py",
                  file=sys.stderr)
            return 1
        return 1 if missing else 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
