#!/usr/bin/python3
"""`make bench`: see bench/harness/ (the package) and bench/README.md."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
