"""The ``radio`` command of this checkout, whatever the installed one is (for whole-process benchmarks)."""
import sys

from radio.cli import main

if __name__ == "__main__":
    sys.argv[0] = "radio"
    sys.exit(main())
