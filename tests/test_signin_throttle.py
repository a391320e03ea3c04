"""Sign-in throttling per (client address, user name): no one can lock the admin out from elsewhere, throttled
attempts cost no password check, delays grow and are capped, every worker shares them, failures are audited, and
password checks are bounded in concurrency."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import argon2
import pytest
from fastapi.testclient import TestClient

from civility.api.app import create_app
from civility.config import Settings
from civility.services import signin
from civility.services import users as user_service
from civility.services.context import Services, build_services
from civility.storage import audit
from civility.storage.tables import utcnow

PASSWORD = "right-password-123"


@contextmanager
def _browser(settings: Settings, services: Services, address: str) -> Iterator[TestClient]:
    with TestClient(create_app(settings, services), client=(address, 40000), follow_redirects=False) as client:
        yield client


def _post_login(client: TestClient, username: str, password: str) -> Any:
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    return client.post("/login", data={"csrf": csrf.group(1), "username": username, "password": password})


class _CountingVerify:
    """Wraps argon2's real PasswordHasher.verify (a third-party library, not ours) to count calls and overlap."""

    def __init__(self, pause: float = 0.0) -> None:
        self.original = argon2.PasswordHasher.verify
        self.calls = 0
        self.running = 0
        self.most = 0
        self.pause = pause
        self.lock = threading.Lock()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> _CountingVerify:
        def verify(hasher: argon2.PasswordHasher, *args: Any, **kwargs: Any) -> Any:
            return self.run(hasher, *args, **kwargs)

        monkeypatch.setattr(argon2.PasswordHasher, "verify", verify)
        return self

    def run(self, hasher: argon2.PasswordHasher, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(self.pause)
            return self.original(hasher, *args, **kwargs)
        finally:
            with self.lock:
                self.running -= 1


def test_wrong_guesses_from_one_address_never_lock_the_user_out_elsewhere(
    settings: Settings, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_service.create_user(services.sessions, "admin", PASSWORD, "admin")
    verify = _CountingVerify().install(monkeypatch)
    with _browser(settings, services, "203.0.113.7") as attacker:
        statuses = [_post_login(attacker, "admin", f"guess-{i}-wrong").status_code for i in range(6)]
        assert statuses[:3] == [401, 401, 401]
        assert statuses[3:] == [429, 429, 429]  # throttled after three failures
        checked = verify.calls
        assert checked == 3  # the throttled attempts ran no argon2 at all
        refused = _post_login(attacker, "admin", PASSWORD)  # even the right password waits, from this address
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert "try again in" in refused.text
        assert verify.calls == checked
    with _browser(settings, services, "198.51.100.20") as owner:
        signed_in = _post_login(owner, "admin", PASSWORD)
        assert signed_in.status_code == 303, signed_in.text  # the owner, elsewhere, gets in at once
        assert "civility_session" in signed_in.headers.get("set-cookie", "")


def test_the_throttle_is_per_user_name_too(settings: Settings, services: Services) -> None:
    user_service.create_user(services.sessions, "admin", PASSWORD, "admin")
    user_service.create_user(services.sessions, "mod", PASSWORD, "moderator")
    with _browser(settings, services, "203.0.113.8") as shared_office:
        for i in range(4):
            _post_login(shared_office, "admin", f"wrong-{i}-guess")
        assert _post_login(shared_office, "admin", PASSWORD).status_code == 429
        assert _post_login(shared_office, "mod", PASSWORD).status_code == 303


def test_delays_double_are_capped_and_shared_by_every_worker(settings: Settings, services: Services) -> None:
    user_service.create_user(services.sessions, "admin", PASSWORD, "admin")
    settings = settings.model_copy(update={"signin_delay_seconds": 5.0, "signin_max_delay_seconds": 60.0})
    other_worker = build_services(settings, upgrade_database=False, registry=services.registry, detector=services.detector)
    try:
        now = utcnow()
        waits = []
        for i in range(8):
            result = signin.sign_in(services.sessions, settings, services.password_checks, "192.0.2.1", "admin", "nope-nope-nope", now=now)
            assert not result.throttled and result.user is None
            waits.append(result.retry_after)
            # Within the wait, another worker process (its own engine and pool) refuses the pair unchecked.
            if result.retry_after:
                held = signin.sign_in(other_worker.sessions, settings, other_worker.password_checks, "192.0.2.1", "admin", PASSWORD, now=now)
                assert held.throttled and held.user is None and 0 < held.retry_after <= result.retry_after
            now += timedelta(seconds=result.retry_after + 1)
        assert waits == [0, 0, 5, 10, 20, 40, 60, 60]
        # The right password after the wait signs in and clears the count.
        assert signin.sign_in(other_worker.sessions, settings, other_worker.password_checks, "192.0.2.1", "admin", PASSWORD, now=now).user is not None
        assert signin.sign_in(services.sessions, settings, services.password_checks, "192.0.2.1", "admin", "wrong-again-x", now=now).retry_after == 0
    finally:
        other_worker.close()


def test_ipv6_clients_are_throttled_by_their_64(settings: Settings, services: Services) -> None:
    user_service.create_user(services.sessions, "admin", PASSWORD, "admin")
    now = utcnow()
    for i in range(3):
        signin.sign_in(services.sessions, settings, services.password_checks, f"2001:db8:1:2::{i + 1}", "admin", "wrong-password", now=now)
    assert signin.sign_in(services.sessions, settings, services.password_checks, "2001:db8:1:2::99", "admin", PASSWORD, now=now).throttled
    assert signin.sign_in(services.sessions, settings, services.password_checks, "2001:db8:1:3::1", "admin", PASSWORD, now=now).user is not None


def test_failed_sign_ins_are_audited_without_the_password(settings: Settings, services: Services) -> None:
    user_service.create_user(services.sessions, "admin", PASSWORD, "admin")
    secret_guess = "hunter2-secret-guess"
    with _browser(settings, services, "203.0.113.9") as client:
        assert _post_login(client, "admin", secret_guess).status_code == 401
        assert _post_login(client, "nobody", secret_guess).status_code == 401
    with services.sessions() as session:
        entries = audit.entries(session, action="user.sign_in_failed")
        logged = [(e.subject_id, e.details.get("client"), e.details.get("failures")) for e in entries]
        dumped = json.dumps([[e.actor, e.subject_id, e.details] for e in entries])
    assert sorted(logged) == [("admin", "203.0.113.9", 1), ("nobody", "203.0.113.9", 1)]
    assert secret_guess not in dumped


def test_password_checks_run_at_most_the_configured_number_at_once(
    settings: Settings, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_service.create_user(services.sessions, "admin", PASSWORD, "admin")
    worker = build_services(
        settings.model_copy(update={"password_hash_concurrency": 1}),
        upgrade_database=False, registry=services.registry, detector=services.detector,
    )
    worker.close()  # only its password-check slots are used: a worker process built with the setting at 1
    one_slot = worker.password_checks
    verify = _CountingVerify(pause=0.05).install(monkeypatch)  # a wider check: overlapping ones would be seen
    results: list[signin.SigninResult] = []

    def attempt(i: int) -> None:
        results.append(signin.sign_in(services.sessions, settings, one_slot, f"192.0.2.{10 + i}", "admin", "wrong-password-x"))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert verify.calls == 6 and len(results) == 6
    assert verify.most == 1
