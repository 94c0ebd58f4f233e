"""The loopback receiver the browser lands on: plain redirect, form post, wrong state, timeout,
cancel — over real HTTP on 127.0.0.1."""

from __future__ import annotations

import threading

import pytest
import requests

from netguard.accounts.loopback import LoopbackReceiver
from netguard.errors import AuthError


def test_a_plain_redirect_is_taken_and_the_browser_told_it_can_close() -> None:
    with LoopbackReceiver("s1") as receiver:
        page = requests.get(f"http://127.0.0.1:{receiver.port}/?code=abc&state=s1", timeout=5)
        assert receiver.wait(5) == {"code": "abc", "state": "s1"}
    assert page.status_code == 200 and "close this window" in page.text.replace(
        "venster sluiten", "close this window")


def test_a_form_post_is_taken_too() -> None:
    with LoopbackReceiver("s2") as receiver:
        page = requests.post(f"http://127.0.0.1:{receiver.port}/",
                             data={"code": "xyz", "state": "s2"}, timeout=5)
        assert receiver.wait(5)["code"] == "xyz"
    assert page.status_code == 200


def test_an_answer_with_another_state_is_turned_away_and_the_wait_goes_on() -> None:
    with LoopbackReceiver("mine") as receiver:
        forged = requests.get(f"http://127.0.0.1:{receiver.port}/?code=evil&state=theirs",
                              timeout=5)
        assert forged.status_code == 400
        assert requests.get(f"http://127.0.0.1:{receiver.port}/favicon.ico",
                            timeout=5).status_code == 404
        requests.get(f"http://127.0.0.1:{receiver.port}/?code=good&state=mine", timeout=5)
        assert receiver.wait(5)["code"] == "good"


def test_an_error_answer_is_handed_on() -> None:
    with LoopbackReceiver("s3") as receiver:
        requests.get(f"http://127.0.0.1:{receiver.port}/?error=access_denied&state=s3", timeout=5)
        assert receiver.wait(5)["error"] == "access_denied"


def test_no_answer_stops_at_the_timeout_with_a_clear_message() -> None:
    with LoopbackReceiver("s4") as receiver, pytest.raises(AuthError) as late:
        receiver.wait(0.5)
    assert "netguard account login" in str(late.value)


def test_cancel_stops_the_wait() -> None:
    cancelled = threading.Event()
    cancelled.set()
    with LoopbackReceiver("s5") as receiver, pytest.raises(AuthError, match=r"ancel|nnuleerd"):
        receiver.wait(60, cancelled.is_set)


def test_the_port_is_free_again_after_the_wait() -> None:
    with LoopbackReceiver("s6") as receiver:
        port = receiver.port
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/?code=x&state=s6", timeout=2)


def test_ctrl_c_stops_the_wait_and_frees_the_port() -> None:
    import _thread

    def press_ctrl_c() -> bool:
        _thread.interrupt_main()  # what the terminal's Ctrl-C does to the waiting command
        return False

    with pytest.raises(KeyboardInterrupt), LoopbackReceiver("s7") as receiver:
        port = receiver.port
        receiver.wait(60, press_ctrl_c)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/?code=x&state=s7", timeout=2)
