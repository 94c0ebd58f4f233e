"""`netguard relay` as a user runs it: its own process, until Ctrl-C; no secret in the profile."""

from __future__ import annotations

import signal
import smtplib
import subprocess
import sys
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from netguard.settings import Account, Settings, save
from tests.integration.test_no_secret_leaks import KEYRING_MODULE, files_holding
from tests.servers.smtp import free_port

ME = "me@example.test"


def test_the_relay_command_serves_until_interrupted(tmp_path: Path, smtp_factory: Any) -> None:
    upstream = smtp_factory(user=ME, password="upstream-secret")
    home, backend = tmp_path / "home", tmp_path / "backend"
    backend.mkdir()
    (backend / "ng_test_keyring.py").write_text(KEYRING_MODULE)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LC_ALL": "C.UTF-8",
           "NETGUARD_HOME": str(home), "PYTHONPATH": str(backend),
           "PYTHON_KEYRING_BACKEND": "ng_test_keyring.FileKeyring",
           "NG_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}
    save(Settings(account=Account(host="imap.invalid", user=ME, smtp_host=upstream.host,
                                  smtp_port=upstream.port, smtp_security="plain",
                                  timeout_seconds=10)), home / "settings.toml")
    subprocess.run([sys.executable, "-c", "from netguard import secrets; "
                    f"secrets.set_password({ME!r}, 'upstream-secret')"], env=env, check=True)
    login = subprocess.run([sys.executable, "-m", "netguard", "relay", "--credentials"], env=env,
                           capture_output=True, text=True, check=True).stdout.split()
    port = free_port()
    relay = subprocess.Popen([sys.executable, "-m", "netguard", "relay", "--port", str(port)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert relay.stdout is not None
        assert f"127.0.0.1:{port}" in relay.stdout.readline()
        message = (f"From: {ME}\r\nTo: anna@example.org\r\nSubject: Hi\r\n"
                   f"Date: {format_datetime(datetime.now(UTC))}\r\n"
                   "Message-ID: <cli-relay@example.test>\r\n\r\nHello\r\n")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.login(login[0], login[1])
            client.sendmail(ME, ["anna@example.org"], message.encode())
        assert len(upstream.received) == 1
    finally:
        relay.send_signal(signal.SIGINT)
        _, err = relay.communicate(timeout=30)
    assert relay.returncode == 0, err
    assert "upstream-secret" not in err and login[1] not in err
    for secret in (b"upstream-secret", login[1].encode()):
        assert files_holding(home, secret) == []
