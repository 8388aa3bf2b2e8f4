#!/usr/bin/env python3
"""Evaluation table on the test split: same as `languagecheck evaluate`."""
from languagecheck.cli import _register, app

if __name__ == "__main__":
    import sys

    _register()
    app(["evaluate", *sys.argv[1:]])
