"""Entry point of the windowed ``anran-desktop`` executable (no console window on Windows): ``anran app``."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from anran_desktop.cli import main

    sys.exit(main(["app", *sys.argv[1:]]))
