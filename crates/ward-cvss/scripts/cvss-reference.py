#!/usr/bin/env python3
"""Reference CVSS v3 scores from RedHat's PyPI package `cvss`, for ward-cvss's tests.

Setup (once):
    python3 -m venv /tmp/cvss-venv && /tmp/cvss-venv/bin/pip install cvss

Usage:
    cvss-reference.py [--rust] < vectors.txt
        Reads one vector per line (blank lines and lines starting with `#` are
        skipped) and prints, per vector, the base score, the exploitability
        sub-score (unrounded), the impact sub-score (unrounded), the
        severity and the canonical vector (preferred order, no `X` values).
        With --rust, prints rows for the REFERENCE table in
        tests/reference.rs instead.
    cvss-reference.py --all-base
        Prints the base score (and exploitability sub-score) of every one of
        the 2592 base-metric combinations, for both CVSS:3.0 and CVSS:3.1,
        in the format of tests/reference/all-base-scores.txt.

A vector the package rejects is printed as `ERROR <message>` and makes the
script exit with status 1.
"""

import itertools
import sys
from importlib.metadata import version

from cvss import CVSS3
from cvss.exceptions import CVSS3Error

# Decimal places printed for the impact sub-score; the exploitability
# sub-score is exact in Decimal arithmetic (at most 10 places) and printed whole.
IMPACT_PLACES = 12

# The base metric values in the enumeration order of --all-base.
BASE_ORDER = [
    ("AV", "NALP"),
    ("AC", "LH"),
    ("PR", "NLH"),
    ("UI", "NR"),
    ("S", "UC"),
    ("C", "HLN"),
    ("I", "HLN"),
    ("A", "HLN"),
]


def decimal_text(value, places=None):
    """A Decimal as a plain float literal: no exponent, no trailing zeros."""
    if places is not None:
        value = round(value, places)
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"


def reference(vector):
    """(base score, exploitability, impact, severity, canonical vector) per PyPI cvss."""
    c = CVSS3(vector)
    base = c.scores()[0]
    esc = decimal_text(c.esc)
    isc = decimal_text(c.isc, IMPACT_PLACES)
    return base, esc, isc, c.severities()[0], c.clean_vector()


def score_stdin(rust):
    print(f"# PyPI cvss {version('cvss')}")
    failed = False
    for line in sys.stdin:
        vector = line.strip()
        if not vector or vector.startswith("#"):
            continue
        try:
            base, esc, isc, severity, canonical = reference(vector)
        except CVSS3Error as error:
            print(f"{vector}\tERROR {error}")
            failed = True
            continue
        if rust:
            print(f'    ("{vector}", {base:.1f}, {esc}, {isc}, "{severity}", "{canonical}"),')
        else:
            print(f"{vector}\t{base:.1f}\t{esc}\t{isc}\t{severity}\t{canonical}")
    return 1 if failed else 0


def all_base():
    print(f"# Base scores of every CVSS v3 base vector, from PyPI cvss {version('cvss')}")
    print("# (regenerate: crates/ward-cvss/scripts/cvss-reference.py --all-base).")
    print("# Each line: a vector prefix up to S, its exploitability sub-score, then the")
    print("# 27 base scores for C, I, A each over H L N, C varying slowest")
    print("# (C:H/I:H/A:H, C:H/I:H/A:L, ..., C:N/I:N/A:N).")
    heads = BASE_ORDER[:5]
    tails = BASE_ORDER[5:]
    for minor in ("3.0", "3.1"):
        for head in itertools.product(*(values for _, values in heads)):
            prefix = f"CVSS:{minor}/" + "/".join(
                f"{name}:{value}" for (name, _), value in zip(heads, head)
            )
            scores = []
            exploitability = None
            for tail in itertools.product(*(values for _, values in tails)):
                vector = prefix + "/" + "/".join(
                    f"{name}:{value}" for (name, _), value in zip(tails, tail)
                )
                c = CVSS3(vector)
                exploitability = decimal_text(c.esc)
                scores.append(f"{c.scores()[0]:.1f}")
            print(prefix, exploitability, " ".join(scores))
    return 0


def main(args):
    if args == ["--all-base"]:
        return all_base()
    if args in ([], ["--rust"]):
        return score_stdin(rust=bool(args))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
