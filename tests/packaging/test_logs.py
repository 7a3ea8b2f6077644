"""Logging: a rotating file under the user's log folder, no duplicate handlers, clear errors."""

import logging

import pytest

from anran_desktop.logs import LOG_FILE_NAME, setup_logging


@pytest.fixture(autouse=True)
def _restore_root_logger():
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for h in list(root.handlers):
        if h not in before:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


def test_default_log_file_is_in_the_user_log_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ANRAN_HOME", str(tmp_path / "home"))
    path = setup_logging("INFO", console=False)
    assert path == tmp_path / "home" / "logs" / LOG_FILE_NAME
    logging.getLogger("anran.test").info("管网 loaded")
    for h in logging.getLogger().handlers:
        h.flush()
    text = path.read_text(encoding="utf-8")
    assert "INFO" in text and "anran.test: 管网 loaded" in text
    assert text[:4].isdigit() and "Z " in text  # UTC ISO 8601 time stamp


def test_log_file_rotates_and_keeps_only_the_backups(tmp_path):
    path = setup_logging("DEBUG", console=False, max_bytes=2_000, backups=2, log_dir=tmp_path)
    log = logging.getLogger("anran.rotate")
    for i in range(400):
        log.debug("line %04d %s", i, "x" * 40)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [LOG_FILE_NAME, f"{LOG_FILE_NAME}.1", f"{LOG_FILE_NAME}.2"]
    assert all(p.stat().st_size <= 2_200 for p in tmp_path.iterdir())
    assert "line 0399" in path.read_text(encoding="utf-8")


def test_calling_twice_does_not_duplicate_lines(tmp_path):
    setup_logging("INFO", console=False, log_dir=tmp_path)
    path = setup_logging("INFO", console=False, log_dir=tmp_path)
    logging.getLogger("anran.once").warning("only once")
    for h in logging.getLogger().handlers:
        h.flush()
    assert path.read_text(encoding="utf-8").count("only once") == 1


def test_console_gets_warnings_only(tmp_path, capsys):
    setup_logging("DEBUG", console=True, log_dir=tmp_path)
    logging.getLogger("anran.console").info("chatty")
    logging.getLogger("anran.console").error("broken pipe P012")
    err = capsys.readouterr().err
    assert "broken pipe P012" in err and "chatty" not in err


@pytest.mark.parametrize("kwargs, message", [({"level": "LOUD"}, "unknown log level 'LOUD'"),
                                             ({"max_bytes": 0}, "max_bytes"), ({"backups": 0}, "backups")])
def test_bad_settings_are_refused(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        setup_logging(console=False, log_dir=tmp_path, **kwargs)
