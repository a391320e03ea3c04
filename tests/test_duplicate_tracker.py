"""The per-process duplicate index follows the database, including rows that become visible out of id order."""

from __future__ import annotations

from datetime import timedelta

from civility.config import Settings
from civility.scoring.registry import ModelRegistry
from civility.services import sites
from civility.services.context import Services, build_services
from civility.storage import comments as comment_store
from civility.storage import sites as site_store
from civility.storage.tables import utcnow
from civility.text.language import LanguageDetector

TEXT = "Vote them all out at the next election, every single councillor who backed this plan"


def test_a_comment_committed_late_with_a_lower_id_is_still_found(services: Services) -> None:
    sites.put_site(services, "paper", "Paper", None)
    sites.put_article(services, "paper", "story", "Story", "The council backed the plan.", [], None, None, None)
    now = utcnow()

    def insert(comment_id: int, text: str) -> tuple[int, int]:
        with services.sessions.begin() as session:
            site = site_store.by_slug(session, "paper")
            article = site_store.article(session, site.id, "story")
            comment_store.insert(
                session, id=comment_id, site_id=site.id, article_id=article.id, external_id=f"x{comment_id}", text=text,
                posted_at=now - timedelta(seconds=10), status="approve",
            )
            return site.id, article.id

    site_id, article_id = insert(100, "A remark about the trains being late again this week")
    with services.sessions() as session:
        first = services.duplicates.check(session, site_id, article_id, TEXT, None, now, now)
    assert first.article.duplicate_of is None

    insert(90, TEXT)  # inserted earlier by another worker, committed only now
    with services.sessions() as session:
        again = services.duplicates.check(session, site_id, article_id, TEXT + "!", None, now, now)
    assert again.article.duplicate_of == "90"


def test_copies_posted_at_the_same_moment_in_one_process_are_still_folded(services: Services) -> None:
    """The start of a brigade: identical comments arrive together; exactly one is the original."""
    from concurrent.futures import ThreadPoolExecutor

    from civility.services.moderate import CommentIn, moderate_comment

    sites.put_site(services, "paper", "Paper", None)
    sites.put_article(services, "paper", "story", "Story", "The council backed the plan.", [], None, None, None)

    def post(n: int):
        return moderate_comment(services, "paper", "story", CommentIn(external_id=f"b{n}", text=TEXT, author_id=f"a{n}"))

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(post, range(6)))
    originals = [o for o in outcomes if o.signals["duplicate_of"] is None]
    assert len(originals) == 1


def test_copies_posted_at_the_same_moment_to_two_workers_are_still_folded(
    services: Services, settings: Settings, registry: ModelRegistry, detector: LanguageDetector
) -> None:
    """Two worker processes each keep their own index and their own in-process lock; the database must order them.

    A second Services on the same database stands for the second worker (own DuplicateTracker, own engine)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from civility.services.moderate import CommentIn, moderate_comment

    sites.put_site(services, "paper", "Paper", None)
    sites.put_article(services, "paper", "story", "Story", "The council backed the plan.", [], None, None, None)
    other = build_services(settings, upgrade_database=False, registry=registry, detector=detector)
    workers = (services, other)
    start = threading.Barrier(8)

    def post(n: int):
        start.wait()
        comment = CommentIn(external_id=f"w{n}", text=TEXT, author_id=f"a{n}")
        return moderate_comment(workers[n % 2], "paper", "story", comment)

    try:
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(post, range(8)))
    finally:
        other.close()
    originals = [o for o in outcomes if o.signals["duplicate_of"] is None]
    assert len(originals) == 1, [o.signals for o in outcomes]
