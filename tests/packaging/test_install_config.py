"""The installer's machine-wide site configuration (relay URL and site token)."""

import pytest

from anran_desktop.install_config import (
    InstallConfigError,
    machine_config_path,
    read_install_config,
    validate_relay_url,
)


def test_reads_what_the_installer_writes_with_a_bom(tmp_path):
    f = tmp_path / "site.ini"
    f.write_bytes("\ufeff[relay]\nurl=https://relay.xinghai.example.cn/\nsite_token=abc.DEF-123\n".encode())
    cfg = read_install_config(f)
    assert cfg is not None
    assert cfg.relay_url == "https://relay.xinghai.example.cn"
    assert cfg.site_token == "abc.DEF-123"
    assert cfg.source == f


def test_utf16_file_is_read(tmp_path):
    f = tmp_path / "site.ini"
    f.write_text("[relay]\nurl=http://10.0.0.5:8080\nsite_token=t\n", encoding="utf-16")
    assert read_install_config(f).relay_url == "http://10.0.0.5:8080"


def test_missing_file_means_no_configuration(tmp_path):
    assert read_install_config(tmp_path / "nope.ini") is None


def test_empty_values_are_none(tmp_path):
    f = tmp_path / "site.ini"
    f.write_text("[relay]\nurl=\nsite_token=\n", encoding="utf-8")
    cfg = read_install_config(f)
    assert cfg.relay_url is None and cfg.site_token is None


@pytest.mark.parametrize("text, message", [
    ("[relay]\nurl=ftp://x\n", "must start with https://"),
    ("[relay]\nurl=https://\n", "no host name"),
    ("[relay]\nsite_token=a b\n", "spaces"),
    ("url=https://x\n", "not a valid INI file"),
])
def test_bad_files_name_the_file_and_problem(tmp_path, text, message):
    f = tmp_path / "site.ini"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InstallConfigError, match=message) as info:
        read_install_config(f)
    assert str(f) in str(info.value)


def test_env_override_and_platform_default(tmp_path, monkeypatch):
    monkeypatch.setenv("ANRAN_SITE_CONFIG", str(tmp_path / "x.ini"))
    assert machine_config_path() == tmp_path / "x.ini"
    monkeypatch.delenv("ANRAN_SITE_CONFIG")
    assert machine_config_path().name == "site.ini"
    assert "anran" in str(machine_config_path()).lower()


def test_relay_url_validation():
    assert validate_relay_url(" https://a.b/relay/ ") == "https://a.b/relay"
    with pytest.raises(ValueError, match=r"query"):
        validate_relay_url("https://a.b/?x=1")
