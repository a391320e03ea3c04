"""The linear baseline scorer: hashed word and character n-grams, one logistic regression per attribute, and a
Platt calibration per attribute.

Hashing keeps the feature extraction stateless, so an artifact needs only its configuration (JSON), the idf
weights and the model weights (one ``.npz`` without pickles). Serving imports numpy, scipy and scikit-learn only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize as l2_normalize

from civility.scoring.artifact import MANIFEST, ArtifactError, read_info
from civility.scoring.hashing import CharNgramHasher
from civility.scoring.types import ModelInfo
from civility.text.normalize import RULES, normalize
from civility.text.normalize_lang import normalize_for

CONFIG_FILE = "linear.json"
WEIGHTS_FILE = "linear_weights.npz"


@dataclass(frozen=True)
class FeatureConfig:
    """How texts become feature vectors; everything needed to rebuild the (stateless) vectorizers."""

    word_ngrams: tuple[int, int] = (1, 2)
    word_features: int = 2**18
    char_ngrams: tuple[int, int] = (2, 5)
    char_features: int = 2**18
    sublinear_tf: bool = True

    @property
    def n_features(self) -> int:
        return self.word_features + self.char_features

    @classmethod
    def from_json(cls, data: dict[str, object]) -> FeatureConfig:
        return cls(
            word_ngrams=tuple(data["word_ngrams"]),  # type: ignore[arg-type]
            word_features=int(data["word_features"]),  # type: ignore[arg-type]
            char_ngrams=tuple(data["char_ngrams"]),  # type: ignore[arg-type]
            char_features=int(data["char_features"]),  # type: ignore[arg-type]
            sublinear_tf=bool(data["sublinear_tf"]),
        )


@dataclass(frozen=True)
class PlattMap:
    """p = sigmoid(slope * margin + offset): maps a raw margin to a probability fitted on dev data."""

    slope: float
    offset: float

    def apply(self, margins: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.slope * margins + self.offset)))


class Featurizer:
    """Turns raw texts into L2-normalised, idf-weighted hashed n-gram vectors (word block and char block)."""

    def __init__(
        self, config: FeatureConfig, idf: np.ndarray | None = None, normalizer: str | None = None, rules: int = RULES
    ) -> None:
        self.config = config
        self.idf = idf
        self.normalizer = normalizer
        self.rules = rules
        common = {"alternate_sign": False, "norm": None, "lowercase": False, "dtype": np.float32}
        self._word = HashingVectorizer(
            analyzer="word", ngram_range=config.word_ngrams, n_features=config.word_features, **common
        )
        self._char = HashingVectorizer(
            analyzer="char_wb", ngram_range=config.char_ngrams, n_features=config.char_features, **common
        )
        # The same char block, vectorised (civility.scoring.hashing); the vectorizer above stays for the n-gram ranges
        # that module does not cover and for text UTF-8 cannot encode.
        self._char_counts = self._char.transform
        if 1 <= config.char_ngrams[0] <= 3:
            self._char_counts = CharNgramHasher(config.char_ngrams, config.char_features, self._char.transform).transform

    def prepare(self, texts: Sequence[str]) -> list[str]:
        """The model input: the shared normalisation, lower-cased; for a non-English model (``normalizer`` set,
        from the manifest) the per-language folding of :func:`civility.text.normalize_lang.normalize_for`."""
        if self.normalizer is None:
            return [normalize(text, self.rules).lower() for text in texts]
        return [normalize_for(self.normalizer, text, self.rules) for text in texts]

    def counts(self, prepared: Sequence[str]) -> sp.csr_matrix:
        """Raw (optionally log-scaled) n-gram counts, word block then char block."""
        matrix = sp.hstack([self._word.transform(prepared), self._char_counts(prepared)], format="csr")
        if self.config.sublinear_tf:
            np.log1p(matrix.data, out=matrix.data)
        return matrix

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Apply idf and normalise each block to unit length, so word and char evidence count alike."""
        if self.idf is None:
            raise ValueError("idf weights are not fitted")
        # Scaling each stored value by its column's idf in place: a product with a diagonal matrix would allocate
        # arrays as long as the feature space (2**19) on every call, which made one-comment calls several times slower.
        weighted = counts.tocsr(copy=True)
        weighted.data *= self.idf[weighted.indices]
        split = self.config.word_features
        word = l2_normalize(weighted[:, :split])
        char = l2_normalize(weighted[:, split:])
        return sp.hstack([word, char], format="csr", dtype=np.float32)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.weigh(self.counts(self.prepare(texts)))


class LinearScorer:
    """One logistic regression per attribute over hashed n-grams, with per-attribute Platt calibration."""

    def __init__(
        self,
        info: ModelInfo,
        features: FeatureConfig,
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        calibration: Sequence[PlattMap],
        normalizer: str | None = None,
    ) -> None:
        n_attributes = len(info.attributes)
        if coef.shape != (features.n_features, n_attributes):
            raise ValueError(f"coef has shape {coef.shape}, expected {(features.n_features, n_attributes)}")
        if intercept.shape != (n_attributes,) or len(calibration) != n_attributes or idf.shape != (features.n_features,):
            raise ValueError("intercept, calibration or idf do not match the attributes and features")
        self.info = info
        self.features = features
        self.coef = np.ascontiguousarray(coef, dtype=np.float32)
        self.intercept = intercept.astype(np.float32)
        self.calibration = tuple(calibration)
        self.normalizer = normalizer
        self._featurizer = Featurizer(features, idf.astype(np.float32), normalizer, info.normalizer_rules)

    @property
    def idf(self) -> np.ndarray:
        assert self._featurizer.idf is not None
        return self._featurizer.idf

    def margins(self, texts: Sequence[str]) -> np.ndarray:
        """Uncalibrated decision values, shape (n, attributes)."""
        if len(texts) == 0:
            return np.zeros((0, len(self.info.attributes)), dtype=np.float64)
        matrix = self._featurizer.transform(texts)
        return np.asarray(matrix @ self.coef, dtype=np.float64) + self.intercept

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        margins = self.margins(texts)
        columns = [platt.apply(margins[:, index]) for index, platt in enumerate(self.calibration)]
        return np.column_stack(columns) if columns else margins

    def save(self, folder: Path, manifest_extra: dict[str, object] | None = None) -> None:
        """Write manifest, JSON parameters and npz weights (no pickles). Checksums are the caller's last step."""
        folder.mkdir(parents=True, exist_ok=True)
        manifest: dict[str, object] = {
            "name": self.info.name,
            "version": self.info.version,
            "kind": self.info.kind,
            "languages": list(self.info.languages),
            "attributes": list(self.info.attributes),
        }
        if self.normalizer is not None:
            manifest["normalizer"] = self.normalizer
        manifest["normalizer_rules"] = self.info.normalizer_rules
        manifest.update(manifest_extra or {})
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        config = {
            "features": asdict(self.features),
            "normalization": "civility.text.normalize.normalize, then str.lower"
            if self.normalizer is None
            else f"civility.text.normalize_lang.normalize_for({self.normalizer!r}, text)",
            "calibration": {
                attribute: asdict(platt) for attribute, platt in zip(self.info.attributes, self.calibration)
            },
        }
        (folder / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        with (folder / WEIGHTS_FILE).open("wb") as handle:
            np.savez_compressed(handle, idf=self.idf, coef=self.coef, intercept=self.intercept)

    @classmethod
    def load(cls, folder: Path) -> LinearScorer:
        info = read_info(folder)
        try:
            normalizer = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("normalizer")
            config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
            with np.load(folder / WEIGHTS_FILE, allow_pickle=False) as weights:
                idf, coef, intercept = weights["idf"], weights["coef"], weights["intercept"]
        except (OSError, ValueError, KeyError) as exc:
            raise ArtifactError(f"{folder}: unreadable linear model: {exc}") from exc
        calibration = [PlattMap(**config["calibration"][attribute]) for attribute in info.attributes]
        features = FeatureConfig.from_json(config["features"])
        return cls(info, features, idf, coef, intercept, calibration, normalizer=normalizer)
