#!/usr/bin/env python3
"""Precision@N of synonym candidates against a hand-judged list (issue 13).

  precision.py CANDIDATES.tsv JUDGED.tsv [--top 50] [--show-unjudged]

CANDIDATES.tsv is chaja-discover-equivalents' output (a header, then hangul,
latin, ...). JUDGED.tsv holds hangul, latin, right|wrong (a header line starting
with "hangul" is skipped; Latin words compare case-insensitively). Candidates
not judged yet are counted and, with --show-unjudged, listed so they can be
judged; they are left out of the precision.
"""
import argparse
import csv
import os
import sys


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [row for row in csv.reader(f, delimiter="\t") if row and row[0] != "hangul"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("candidates")
    parser.add_argument("judged")
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--show-unjudged", action="store_true")
    args = parser.parse_args()

    candidates = [(row[0], row[1].lower()) for row in read_tsv(args.candidates)][: args.top]
    judged = {}
    if os.path.exists(args.judged):
        judged = {(row[0], row[1].lower()): row[2].strip() for row in read_tsv(args.judged)}
    right = sum(1 for c in candidates if judged.get(c) == "right")
    wrong = sum(1 for c in candidates if judged.get(c) == "wrong")
    unjudged = [c for c in candidates if c not in judged]
    site = os.path.basename(args.candidates).rsplit(".", 1)[0]
    judged_count = right + wrong
    precision = right / judged_count if judged_count else float("nan")
    print(f"{site:<14} candidates {len(candidates):>3}  right {right:>3}  wrong {wrong:>3}  "
          f"unjudged {len(unjudged):>3}  precision@{args.top} {precision:.3f}")
    if args.show_unjudged:
        for hangul, latin in unjudged:
            print(f"  unjudged: {hangul}\t{latin}", file=sys.stderr)


if __name__ == "__main__":
    main()
