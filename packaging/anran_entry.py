"""Entry point of the frozen AnRan executable: the same ``anran`` command line as the checkout."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from anran_desktop.cli import main

    sys.exit(main())
