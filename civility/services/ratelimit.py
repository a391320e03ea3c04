"""Per-key rate limits: a token bucket per API key, kept in the database so every worker process shares it.

Refill and draw happen in one conditional UPDATE, atomic on SQLite and PostgreSQL alike, so concurrent workers can
never overdraw a bucket. A refused request learns how long to wait (Retry-After).
"""

from __future__ import annotations

import math
import time

from sqlalchemy import case, insert, select, update
from sqlalchemy.exc import IntegrityError

from civility import errors
from civility.services.context import Services
from civility.services.keys import KeyInfo
from civility.storage.tables import RateBucket


def limits_for(services: Services, key: KeyInfo) -> tuple[float, float]:
    qps = key.rate_qps if key.rate_qps is not None else services.settings.rate_limit_qps
    burst = key.rate_burst if key.rate_burst is not None else max(services.settings.rate_limit_burst, qps)
    return qps, burst


def admit(services: Services, key: KeyInfo, now: float | None = None) -> None:
    """Take one token from the key's bucket or raise RATE_LIMIT_EXCEEDED (429) with the wait in ``retry_after``."""
    qps, burst = limits_for(services, key)
    if qps <= 0 or not services.settings.rate_limit_enabled:
        return
    moment = time.time() if now is None else now
    refilled = RateBucket.tokens + (moment - RateBucket.updated) * qps
    available = case((refilled > burst, burst), else_=refilled)
    for _ in range(2):
        with services.sessions.begin() as session:
            taken = session.execute(
                update(RateBucket)
                .where(RateBucket.api_key_id == key.id, available >= 1)
                .values(tokens=available - 1, updated=moment)
            )
            if taken.rowcount:
                return
            current = session.execute(select(RateBucket.tokens, RateBucket.updated).where(RateBucket.api_key_id == key.id)).first()
            if current is None:
                try:
                    with session.begin_nested():
                        session.execute(insert(RateBucket).values(api_key_id=key.id, tokens=burst - 1, updated=moment))
                    return
                except IntegrityError:
                    continue  # another worker created the bucket first: draw from it
            tokens = min(burst, current.tokens + (moment - current.updated) * qps)
            wait = max(0.0, (1 - tokens) / qps)
            raise errors.rate_limited(math.ceil(wait) or 1)
    raise errors.rate_limited(1)
