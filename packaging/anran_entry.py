"""Entry point of the frozen AnRan executable: the same ``anran`` command line as the checkout."""

import contextlib
import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if sys.platform == "win32":
        # onnxruntime's DLLs must load before PySide6's Qt DLLs on Windows (pybind11 state import fails otherwise).
        with contextlib.suppress(ImportError):
            import onnxruntime  # noqa: F401
    from anran_desktop.cli import main

    sys.exit(main())
