"""MQTT passwords from an environment variable or a private secrets file, never in a log line; a
secrets file others can read is refused, a missing variable is reported naming the field."""

from __future__ import annotations

import asyncio
import getpass
import json
import logging
import shutil
import subprocess

import pytest
from ingest_peers import Mosquitto, wait_for

from anran_desktop.ingest.base import SourceState
from anran_desktop.ingest.config import ConfigError, load_config, parse_config
from anran_desktop.ingest.mqtt_source import MqttSource

SECRET = "Xk9-very-secret"


def _site(tmp_path, port: int, **password) -> str:
    """A site file (one per password style) with one MQTT source."""
    src = {"kind": "mqtt", "name": "iot", "host": "127.0.0.1", "port": port, "username": "anran",
           "reconnect": {"initial_s": 0.2, "max_s": 0.5},
           "topics": [{"topic": "s/+/p", "point": "{1}", "value": "v"}], **password}
    path = tmp_path / f"site-{'-'.join(password)}.json"
    path.write_text(json.dumps({"site": "t", "sources": [src]}), encoding="utf-8")
    return str(path)


def _broker(tmp_path) -> Mosquitto:
    pw = tmp_path / "passwd"
    pw.write_text("")
    subprocess.run([shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd", "-b", str(pw), "anran", SECRET],
                   check=True)
    broker = Mosquitto(tmp_path)
    broker.conf.write_text(f"user {getpass.getuser()}\nlistener {broker.port} 127.0.0.1\n"
                           f"allow_anonymous false\npassword_file {pw}\n")
    return broker


def _login(cfg_path: str) -> tuple[SourceState, str]:
    async def main() -> tuple[SourceState, str]:
        src = MqttSource(load_config(cfg_path).sources[0])
        await src.start()
        try:
            await wait_for(lambda: src.status.state == SourceState.RUNNING or src.status.reconnects >= 1,
                           what="login outcome")
            return src.status.state, src.status.message
        finally:
            await src.stop()

    return asyncio.run(main())


def test_password_from_env_and_from_private_file_log_in_and_never_show(tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    broker = _broker(tmp_path)
    broker.start()
    try:
        monkeypatch.setenv("ANRAN_TEST_MQTT_PW", SECRET)
        env_cfg = _site(tmp_path, broker.port, password_env="ANRAN_TEST_MQTT_PW")
        assert _login(env_cfg)[0] == SourceState.RUNNING
        secrets = tmp_path / "mqtt.secret"
        secrets.write_text(SECRET + "\n", encoding="utf-8")
        secrets.chmod(0o600)
        file_cfg = _site(tmp_path, broker.port, password_file="mqtt.secret")  # relative to the site file
        cfg = load_config(file_cfg)
        assert cfg.sources[0].password_file == str(secrets.resolve())
        assert _login(file_cfg)[0] == SourceState.RUNNING
        # The stored form of the configuration keeps the reference, not the password.
        assert SECRET not in cfg.model_dump_json() and SECRET not in repr(cfg)
        # A wrong password is refused by the broker; the message does not carry it either.
        monkeypatch.setenv("ANRAN_TEST_MQTT_PW", "wrong-" + SECRET)
        state, message = _login(env_cfg)
        assert state != SourceState.RUNNING and SECRET not in message
    finally:
        broker.stop()
    assert SECRET not in caplog.text


def test_plain_password_is_accepted_with_a_warning_that_does_not_repeat_it(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    cfg = load_config(_site(tmp_path, 1883, password=SECRET))
    assert cfg.sources[0].password == SECRET
    assert "plain text" in caplog.text and SECRET not in caplog.text
    assert SECRET not in repr(cfg.sources[0])


def test_world_readable_secrets_file_is_refused_group_readable_warns(tmp_path, caplog):
    secrets = tmp_path / "mqtt.secret"
    secrets.write_text(SECRET, encoding="utf-8")
    secrets.chmod(0o644)
    with pytest.raises(ConfigError) as exc:
        load_config(_site(tmp_path, 1883, password_file=str(secrets)))
    assert "sources.0.password_file" in str(exc.value) and "chmod 600" in str(exc.value)
    assert SECRET not in str(exc.value)
    secrets.chmod(0o640)
    caplog.set_level(logging.WARNING)
    load_config(_site(tmp_path, 1883, password_file=str(secrets)))
    assert "group" in caplog.text and SECRET not in caplog.text


def test_missing_variable_empty_file_and_two_references_name_the_field(tmp_path, monkeypatch):
    monkeypatch.delenv("ANRAN_TEST_UNSET_PW", raising=False)
    with pytest.raises(ConfigError, match=r"sources\.0\.password_env .*ANRAN_TEST_UNSET_PW is not set"):
        load_config(_site(tmp_path, 1883, password_env="ANRAN_TEST_UNSET_PW"))
    empty = tmp_path / "empty.secret"
    empty.write_text("")
    empty.chmod(0o600)
    with pytest.raises(ConfigError, match="is empty"):
        load_config(_site(tmp_path, 1883, password_file=str(empty)))
    with pytest.raises(ConfigError, match="give only one of password, password_env"):
        parse_config(json.dumps({"sources": [{"kind": "mqtt", "name": "a", "password": "x", "password_env": "Y",
                                              "topics": [{"topic": "a", "point": "P"}]}]}))
