"""End to end: Debian's Thunderbird, headless, with the add-on as `netguard thunderbird install`
puts it, asks the real native host before each send to a real SMTP server (aiosmtpd).

A clear message arrives; the fifth follow-up in a week does not, and the NetGuard window says
why; *Send anyway* in that window delivers it once; with NetGuard gone the mail still goes.
Run as its own CI step (marker ``thunderbird``), written for Thunderbird 153 ESR (see FACTS.md
"Thunderbird").
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netguard.paths import Profile
from netguard.store import open_store
from tests.e2e.marionette import Marionette
from tests.servers.smtp import SmtpServer, free_port
from tests.unit.analysis_mailbox import Mailbox, days

WRITTEN_FOR = "153."
ANNA, FRANK, ME = "anna@example.com", "frank@example.com", "me@mine.nl"

COMPOSE_AND_SEND = """
const [to, body, resolve] = arguments;
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const params = Cc["@mozilla.org/messengercompose/composeparams;1"]
  .createInstance(Ci.nsIMsgComposeParams);
const fields = Cc["@mozilla.org/messengercompose/composefields;1"]
  .createInstance(Ci.nsIMsgCompFields);
Object.assign(fields, { to, subject: "Hello " + to, body });
Object.assign(params, { composeFields: fields, format: Ci.nsIMsgCompFormat.PlainText,
  identity: MailServices.accounts.getIdentity("id1") });
const before = new Set(Services.wm.getEnumerator("msgcompose"));
MailServices.compose.OpenComposeWindowWithParams(null, params);
const poll = () => {
  const win = [...Services.wm.getEnumerator("msgcompose")].find(w => !before.has(w));
  if (win && win.document.readyState == "complete" && win.gMsgCompose
      && win.gMsgCompose.editor) {
    win.goDoCommand("cmd_sendNow");
    resolve(true);
  } else {
    setTimeout(poll, 50);
  }
};
poll();
"""

# The window is a remote browser; a frame script reads it and presses a button in it.
IN_NETGUARD_WINDOW = """
const [code, resolve] = arguments;
const poll = () => {
  const win = [...Services.wm.getEnumerator("mail:extensionPopup")].find(w =>
    w.document.getElementById("requestFrame")?.currentURI.spec.includes("/popup/warn.html"));
  const frame = win?.document.getElementById("requestFrame");
  if (!frame) { setTimeout(poll, 50); return; }
  const listener = message => {
    frame.messageManager.removeMessageListener("netguard-e2e", listener);
    resolve(message.data);
  };
  frame.messageManager.addMessageListener("netguard-e2e", listener);
  frame.messageManager.loadFrameScript("data:," + encodeURIComponent(code), false);
};
poll();
"""
READ_WHEN_SHOWN = """
const poll = () => {
  const reasons = content.document.getElementById("reasons");
  if (reasons && reasons.textContent) {
    sendAsyncMessage("netguard-e2e", content.document.body.innerText);
  } else {
    content.setTimeout(poll, 50);
  }
};
poll();
"""
PRESS_SEND_ANYWAY = """
content.document.getElementById("send").click();
sendAsyncMessage("netguard-e2e", "pressed");
"""


def prefs(smtp_port: int, marionette_port: int) -> dict[str, object]:
    """A whole account from user.js (no wizard): POP3 never polled, SMTP on aiosmtpd."""
    return {
        "mail.accountmanager.accounts": "account1",
        "mail.accountmanager.defaultaccount": "account1",
        "mail.account.account1.identities": "id1",
        "mail.account.account1.server": "server1",
        "mail.server.server1.type": "pop3", "mail.server.server1.hostname": "127.0.0.1",
        "mail.server.server1.port": 1, "mail.server.server1.userName": "me",
        "mail.server.server1.name": ME, "mail.server.server1.login_at_startup": False,
        "mail.server.server1.check_new_mail": False,
        "mail.identity.id1.useremail": ME, "mail.identity.id1.fullName": "Me",
        "mail.identity.id1.smtpServer": "smtp1", "mail.identity.id1.fcc": False,
        "mail.identity.id1.compose_html": False,
        "mail.compose.attachment_reminder": False,  # "CV" in the text would ask first
        "mail.smtpservers": "smtp1", "mail.smtp.defaultserver": "smtp1",
        "mail.smtpserver.smtp1.hostname": "127.0.0.1", "mail.smtpserver.smtp1.port": smtp_port,
        "mail.smtpserver.smtp1.authMethod": 1, "mail.smtpserver.smtp1.try_ssl": 0,
        "marionette.port": marionette_port,
        "mail.shell.checkDefaultClient": False, "mailnews.start_page.enabled": False,
        "mail.provider.suppress_dialog_on_startup": True, "mail.spotlight.firstRunDone": True,
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "app.update.disabledForTesting": True,
        "devtools.console.stdout.chrome": True, "devtools.console.stdout.content": True,  # log
    }


def make_store(home: Path) -> None:
    """Frank: an opener and four follow-ups this week. Anna: she answered."""
    profile = Profile.locate(home).ensure()
    conn = open_store(profile.database)
    box, now = Mailbox(conn), datetime.now(UTC)
    for i in range(5):
        box.sent(FRANK, now - days(5) + days(i), frm=ME)
    box.sent(ANNA, now - days(3), frm=ME)
    box.received(ANNA, now - days(2))
    conn.commit()
    conn.close()
    profile.settings_file.write_text('language = "en"\n', encoding="utf-8")


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("thunderbird")


@pytest.fixture(scope="module")
def thunderbird(root: Path, smtp: SmtpServer) -> Iterator[Marionette]:
    binary = shutil.which("thunderbird")
    assert binary, "Debian's thunderbird is needed (tools/dev installs it)"
    version = subprocess.run([binary, "--version"], capture_output=True, text=True,
                             check=True, timeout=60).stdout
    assert f"Thunderbird {WRITTEN_FOR}" in version, f"written for {WRITTEN_FOR}x: {version}"
    user, netguard_home, profile = root / "user", root / "netguard", root / "profile"
    user.mkdir()
    profile.mkdir()
    make_store(netguard_home)
    env = {**os.environ, "HOME": str(user)}
    subprocess.run([sys.executable, "-m", "netguard", "--home", str(netguard_home), "thunderbird",
                    "install", "--profile", str(profile)], env=env, check=True, timeout=60)
    port = free_port()
    with (profile / "user.js").open("a", encoding="utf-8") as user_js:
        for key, value in prefs(smtp.port, port).items():
            user_js.write(f"user_pref({json.dumps(key)}, {json.dumps(value)});\n")
    with (root / "thunderbird.log").open("w") as log:
        process = subprocess.Popen(
            [binary, "--headless", "--marionette", "-remote-allow-system-access", "--no-remote",
             "--profile", str(profile)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        driver = Marionette(port)
        driver.start()
        yield driver
        driver.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
        print((root / "thunderbird.log").read_text(errors="replace")[-20000:])


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def send(driver: Marionette, to: str, body: str) -> None:
    driver.execute_async(COMPOSE_AND_SEND, to, body)


def in_window(driver: Marionette, code: str) -> Any:
    return driver.execute_async(IN_NETGUARD_WINDOW, code)


def recipients(smtp: SmtpServer) -> list[tuple[str, ...]]:
    return [message.rcpt_tos for message in smtp.received]


def test_clear_goes_fifth_followup_waits_send_anyway_delivers_and_no_host_never_holds_mail(
    thunderbird: Marionette, smtp: SmtpServer, root: Path,
) -> None:
    send(thunderbird, ANNA, "Thanks, see you on Tuesday.")
    wait_for(lambda: recipients(smtp) == [(ANNA,)])

    send(thunderbird, FRANK, "Sorry to bother you again: any news about my CV?")
    shown = in_window(thunderbird, READ_WHEN_SHOWN)
    assert "better not send this one yet" in shown
    assert "follow-up number 5 to" in shown
    assert "Notes on your draft" in shown  # the lint on "Sorry to bother you"
    assert recipients(smtp) == [(ANNA,)]

    assert in_window(thunderbird, PRESS_SEND_ANYWAY) == "pressed"
    wait_for(lambda: recipients(smtp) == [(ANNA,), (FRANK,)])

    # NetGuard gone (its manifest removed): the next follow-up is not held back.
    (root / "user" / ".mozilla" / "native-messaging-hosts" / "netguard.json").unlink()
    send(thunderbird, FRANK, "One more thing.")
    wait_for(lambda: recipients(smtp) == [(ANNA,), (FRANK,), (FRANK,)])
