"""Versioned model names → loaded scorers.

A published name never changes meaning: ``TOXICITY@1`` always reaches version 1 of whichever model first served
TOXICITY, and a better model becomes ``TOXICITY@2``. Without a pin, the newest *released* version that covers the
language answers: a candidate (manifest ``"status": "candidate"``) is reached by its pin only, until it is released.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from civility.scoring.artifact import discover, load_scorer, read_info
from civility.scoring.base import Scorer
from civility.scoring.lazy import LazyScorer


@dataclass(frozen=True)
class Resolved:
    scorer: Scorer
    column: int


class ModelRegistry:
    """Answers which scorer judges an attribute in a language, at a version or the newest."""

    def __init__(self, scorers: Iterable[Scorer]) -> None:
        self._scorers = list(scorers)
        self._index: dict[tuple[str, str], dict[int, Resolved]] = {}
        for scorer in self._scorers:
            for column, attribute in enumerate(scorer.info.attributes):
                for language in scorer.info.languages:
                    versions = self._index.setdefault((attribute, language), {})
                    if scorer.info.version in versions:
                        other = versions[scorer.info.version].scorer.info.label
                        raise ValueError(f"{attribute}@{scorer.info.version} in {language}: {other} and {scorer.info.label}")
                    versions[scorer.info.version] = Resolved(scorer, column)

    @classmethod
    def from_dir(
        cls,
        models_dir: Path,
        wrap: Callable[[Scorer], Scorer] | None = None,
        preload_languages: Iterable[str] | None = None,
    ) -> "ModelRegistry":
        """Every artifact under ``models_dir``; ``wrap`` may decorate each scorer (e.g. a micro-batcher).

        Models that answer unpinned requests in ``preload_languages`` (all languages when ``None``; ``"*"`` also
        means all) are loaded now; the others — older versions reached by a pin, other languages — on first use.
        """
        folders = discover(models_dir)
        loaded: dict[str, Scorer] = {}
        # Plain models first, then cascades over them, which reuse the (lazy, wrapped) scorers.
        for folder in sorted(folders, key=lambda f: read_info(f).kind == "cascade"):
            if read_info(folder).kind == "cascade":
                loaded[folder.name] = load_scorer(folder, resolve=loaded.__getitem__)
            else:
                lazy = LazyScorer(folder)
                loaded[folder.name] = wrap(lazy) if wrap else lazy
        registry = cls(loaded.values())
        wanted = None if preload_languages is None else set(preload_languages)
        if wanted is not None and "*" in wanted:
            wanted = None
        for scorer in registry.defaults(wanted):
            scorer.predict_proba(["warm up"])  # loads it (and a cascade's parts) and warms the runtime
        return registry

    def defaults(self, languages: set[str] | None = None) -> list[Scorer]:
        """The scorers that answer unpinned requests (newest released version per attribute and language)."""
        chosen: dict[int, Scorer] = {}
        for (_, language), versions in self._index.items():
            if languages is None or language in languages:
                newest = _newest_released(versions)
                if newest is not None:
                    chosen[id(newest.scorer)] = newest.scorer
        return list(chosen.values())

    @property
    def scorers(self) -> list[Scorer]:
        return list(self._scorers)

    def attributes(self) -> set[str]:
        return {attribute for attribute, _ in self._index}

    def resolve(self, attribute: str, language: str, version: int | None = None) -> Resolved | None:
        versions = self._index.get((attribute, language))
        if not versions:
            return None
        if version is None:
            return _newest_released(versions)
        return versions.get(version)

    def coverage(self) -> dict[str, dict[str, list[int]]]:
        """attribute → language → versions: the honest table of what can be judged where."""
        table: dict[str, dict[str, list[int]]] = {}
        for (attribute, language), versions in sorted(self._index.items()):
            table.setdefault(attribute, {})[language] = sorted(versions)
        return table


def _newest_released(versions: dict[int, Resolved]) -> Resolved | None:
    released = [version for version, resolved in versions.items() if not resolved.scorer.info.candidate]
    return versions[max(released)] if released else None
