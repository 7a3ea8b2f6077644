"""The layering rules of docs/architecture.md, enforced by import-linter (as napari does)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: " in result.stdout and "0 broken" in result.stdout, result.stdout


def test_cli_lists_its_commands():
    from anran_desktop.cli import build_parser

    help_text = build_parser().format_help()
    assert "--self-test" in help_text
