"""The micro-batcher keeps the scorer's contract, gathers concurrent calls, and refuses when its queue is full."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Sequence

import numpy as np
import pytest

from civility.errors import CivilityError
from civility.scoring.batcher import MicroBatcher
from civility.scoring.registry import ModelRegistry

TEXTS = [f"comment number {i}: {'you idiot' if i % 3 == 0 else 'thanks for the article'}" for i in range(64)]


def test_results_equal_direct_calls_and_calls_are_gathered(registry: ModelRegistry) -> None:
    scorer = registry.resolve("TOXICITY", "en", 1).scorer
    sizes: list[int] = []
    batcher = MicroBatcher(scorer, max_batch=16, max_wait=0.05, on_batch=lambda n, s, d: sizes.append(n))
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            rows = list(pool.map(lambda t: batcher.predict_proba([t])[0], TEXTS))
        np.testing.assert_allclose(np.vstack(rows), scorer.predict_proba(TEXTS), rtol=1e-6, atol=1e-7)
        assert sum(sizes) == len(TEXTS)
        assert max(sizes) > 1
        assert batcher.predict_proba(TEXTS[:3]).shape == (3, len(scorer.info.attributes))
    finally:
        batcher.close()


class _Slow:
    def __init__(self, info: object) -> None:
        self.info = info
        self.release = threading.Event()

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        self.release.wait(5)
        return np.zeros((len(texts), 1))


def test_full_queue_is_refused_at_once(registry: ModelRegistry) -> None:
    slow = _Slow(registry.scorers[0].info)
    batcher = MicroBatcher(slow, max_batch=1, max_wait=0.0, max_queue=1)  # type: ignore[arg-type]
    pool = ThreadPoolExecutor(max_workers=2)
    try:
        first = pool.submit(batcher.predict_proba, ["a"])  # taken by the batcher thread, blocks in the model
        threading.Event().wait(0.2)
        second = pool.submit(batcher.predict_proba, ["b"])  # waits in the queue (size 1)
        threading.Event().wait(0.2)
        with pytest.raises(CivilityError) as refused:
            batcher.predict_proba(["c"])
        assert refused.value.error_type == "OVERLOADED" and refused.value.http_status == 503
        slow.release.set()
        assert first.result(5).shape == (1, 1) and second.result(5).shape == (1, 1)
    finally:
        slow.release.set()
        pool.shutdown()
        batcher.close()
