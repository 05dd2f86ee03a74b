"""Print the extractor's per-article table on the shared gold files (seeds and dev), in-process.

Usage: python benchmarks/eval_metrics.py [--shared PATH] [-v]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from wxwatch.metrics.evaluation import evaluate, format_table  # noqa: E402

GOLD_SETS = (("seeds", "gold/seeds.toml", "seeds"), ("dev", "gold/dev.toml", "dev/articles"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if not args.shared.is_dir():
        print(f"Error: no shared inputs at {args.shared}", file=sys.stderr)
        return 2
    for name, gold, docs in GOLD_SETS:
        print(f"== {name}")
        print(format_table(evaluate(args.shared / gold, args.shared / docs), verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
