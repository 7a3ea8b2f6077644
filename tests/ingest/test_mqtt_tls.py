"""MQTT over TLS with username/password against mosquitto, with a CA and server certificate made by
the test (cryptography)."""

from __future__ import annotations

import asyncio
import datetime as dt
import getpass
import json
import shutil
import ssl
import subprocess

import paho.mqtt.client as mqtt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from ingest_peers import Mosquitto, wait_for

from anran_desktop.ingest.base import SourceState
from anran_desktop.ingest.config import MqttSourceConfig
from anran_desktop.ingest.mqtt_source import MqttSource


def make_pki(d):
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "anran test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now - dt.timedelta(minutes=1)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now - dt.timedelta(minutes=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    (d / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (d / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))


def test_tls_with_password(tmp_path):
    make_pki(tmp_path)
    pw = tmp_path / "passwd"
    pw.write_text("")
    subprocess.run([shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd", "-b", str(pw), "anran", "s3cret"],
                   check=True)
    broker = Mosquitto(tmp_path)
    broker.conf.write_text(
        f"user {getpass.getuser()}\n"  # as root, mosquitto would drop to "mosquitto", which cannot read tmp_path
        f"listener {broker.port} 127.0.0.1\nallow_anonymous false\npassword_file {pw}\n"
        f"cafile {tmp_path / 'ca.pem'}\ncertfile {tmp_path / 'server.pem'}\nkeyfile {tmp_path / 'server.key'}\n")
    broker.start()

    def cfg(password: str) -> MqttSourceConfig:
        return MqttSourceConfig.model_validate({
            "name": "tls", "host": "localhost", "port": broker.port, "username": "anran", "password": password,
            "tls": {"ca_file": str(tmp_path / "ca.pem")},
            "reconnect": {"initial_s": 0.2, "max_s": 0.5},
            "topics": [{"topic": "s/+/p", "point": "{1}", "value": "v", "time": "ts"}]})

    async def main() -> tuple[MqttSource, MqttSource, list]:
        wrong = MqttSource(cfg("nope"))
        await wrong.start()
        await wait_for(lambda: wrong.status.reconnects >= 1, what="refused login retried")
        assert wrong.status.state != SourceState.RUNNING
        src = MqttSource(cfg("s3cret"))
        got: list = []
        await src.start()

        async def drain() -> None:
            async for b in src.batches():
                got.extend(b)

        task = asyncio.ensure_future(drain())
        await wait_for(lambda: src.status.state == SourceState.RUNNING, what="TLS login")
        pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        pub.username_pw_set("anran", "s3cret")
        pub.tls_set_context(ssl.create_default_context(cafile=str(tmp_path / "ca.pem")))
        pub.connect("localhost", broker.port)
        pub.loop_start()
        pub.publish("s/PT-09/p", json.dumps({"v": 305.0, "ts": 1_790_000_000}), qos=1).wait_for_publish(5)
        await wait_for(lambda: len(got) == 1, what="message over TLS")
        pub.loop_stop()
        pub.disconnect()
        msg = wrong.status.message
        await wrong.stop()
        await src.stop()
        await task
        return wrong, msg, got

    try:
        wrong, msg, got = asyncio.run(main())
    finally:
        broker.stop()
    assert got[0].point == "PT-09" and got[0].value == 305.0
    assert "refused" in msg and "authori" in msg.lower()  # the state says why: bad login
