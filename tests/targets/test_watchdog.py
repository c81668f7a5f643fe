"""The watchdog that bounds a request's whole answer: one thread, woken only for a deadline
earlier than the one it sleeps until."""
from __future__ import annotations

import time

from personalize_conformance.targets.http import _Watchdog


class Conn:
    sock = None


def wait_for(predicate, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_a_short_deadline_armed_after_long_ones_still_fires_on_time():
    watchdog = _Watchdog()
    for _ in range(3):
        watchdog.arm(60.0, Conn()).disarm()  # requests that answered: the thread sleeps a minute
    long_running = watchdog.arm(60.0, Conn())
    started = time.monotonic()
    short = watchdog.arm(0.2, Conn())
    assert wait_for(lambda: short.fired)
    assert time.monotonic() - started < 2.0 and not long_running.fired


def test_an_alarm_disarmed_in_time_never_fires():
    watchdog = _Watchdog()
    alarm = watchdog.arm(0.2, Conn())
    assert alarm.disarm() is False
    time.sleep(0.4)
    assert not alarm.fired


def test_later_deadlines_do_not_wake_the_thread():
    watchdog = _Watchdog()
    watchdog.arm(60.0, Conn())
    assert wait_for(lambda: watchdog._until is not None)
    woken = []
    original = watchdog._cond.notify
    watchdog._cond.notify = lambda *a: (woken.append(1), original(*a))
    for _ in range(20):
        watchdog.arm(120.0, Conn()).disarm()
    assert woken == []
