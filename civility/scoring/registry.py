"""Versioned model names → loaded scorers.

A published name never changes meaning: ``TOXICITY@1`` always reaches version 1 of whichever model first served
TOXICITY, and a better model becomes ``TOXICITY@2``. Without a pin, the newest version that covers the language
answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from civility.scoring.artifact import discover, load_scorer, read_info
from civility.scoring.base import Scorer


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
    def from_dir(cls, models_dir: Path, wrap: Callable[[Scorer], Scorer] | None = None) -> "ModelRegistry":
        """Load every artifact under ``models_dir``; ``wrap`` may decorate each scorer (e.g. a micro-batcher)."""
        folders = discover(models_dir)
        loaded: dict[str, Scorer] = {}
        # Plain models first, then cascades over them, which reuse the loaded (and wrapped) scorers.
        for folder in sorted(folders, key=lambda f: read_info(f).kind == "cascade"):
            scorer = load_scorer(folder, resolve=loaded.__getitem__)
            loaded[folder.name] = wrap(scorer) if wrap and read_info(folder).kind != "cascade" else scorer
        return cls(loaded.values())

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
            return versions[max(versions)]
        return versions.get(version)

    def coverage(self) -> dict[str, dict[str, list[int]]]:
        """attribute → language → versions: the honest table of what can be judged where."""
        table: dict[str, dict[str, list[int]]] = {}
        for (attribute, language), versions in sorted(self._index.items()):
            table.setdefault(attribute, {})[language] = sorted(versions)
        return table
