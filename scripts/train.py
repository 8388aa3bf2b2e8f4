#!/usr/bin/env python3
"""Rebuild the shipped model: same as `languagecheck train` (fixed seed, logged config)."""
from languagecheck.cli import _register, app

if __name__ == "__main__":
    import sys

    _register()
    app(["train", *sys.argv[1:]])
