"""The vectorised char n-gram hashing must build exactly scikit-learn's matrix: same columns, same counts, same order.

The linear models' weights were fitted on scikit-learn's features, so any difference would silently change every
served score. These tests compare the two on data-set text of all five languages and on generated text."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from civility.scoring.hashing import CharNgramHasher, murmur3_32
from civility.scoring.linear import LinearScorer

MODELS = Path(__file__).resolve().parent.parent / "models"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# Whitespace of every kind str.split() knows, combining marks, zero-width, right-to-left and astral characters.
ALPHABET = " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u3000abcXYZ019.-*'éßπжا中\u0301\u200b\U0001f600"


def _reference(ngrams: tuple[int, int] = (2, 5), n_features: int = 2**18) -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char_wb", ngram_range=ngrams, n_features=n_features, alternate_sign=False, norm=None,
        lowercase=False, dtype=np.float32,
    )


def _assert_same(expected: sp.spmatrix, got: sp.spmatrix) -> None:
    expected, got = sp.csr_matrix(expected), sp.csr_matrix(got)
    assert expected.shape == got.shape
    assert np.array_equal(expected.indptr, got.indptr)
    assert np.array_equal(expected.indices, got.indices)
    assert np.array_equal(expected.data, got.data) and got.dtype == np.float32


def test_murmur3_matches_scikit_learns_hash() -> None:
    rng = np.random.default_rng(11)
    for length in range(1, 25):
        keys = rng.integers(0, 256, size=(200, length), dtype=np.uint8)
        expected = [murmurhash3_32(bytes(row), seed=0) for row in keys]
        assert murmur3_32(keys).tolist() == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=6))
def test_generated_text_hashes_like_scikit_learn(texts: list[str]) -> None:
    reference = _reference()
    _assert_same(reference.transform(texts), CharNgramHasher((2, 5), 2**18, reference.transform).transform(texts))


@pytest.mark.parametrize("ngrams", [(1, 3), (2, 5), (3, 6)])
def test_other_ranges_and_a_small_feature_space_hash_alike(ngrams: tuple[int, int]) -> None:
    rng = random.Random(ngrams[0])
    texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60))) for _ in range(300)] + ["", " ", "a"]
    reference = _reference(ngrams, n_features=1021)  # a prime: every column reachable, many collisions
    _assert_same(reference.transform(texts), CharNgramHasher(ngrams, 1021, reference.transform).transform(texts))


def test_a_range_it_cannot_reproduce_is_refused() -> None:
    with pytest.raises(ValueError):
        CharNgramHasher((4, 6), 2**18, _reference((4, 6)).transform)


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data")
def test_data_set_text_of_every_language_scores_as_before() -> None:
    """Every committed linear model, fed real comments, gives the scores of scikit-learn's features to the bit."""
    from civility.training.data import load_records

    records, _ = load_records(DATA, languages=("en", "de", "tr", "ar", "ru"))
    sample = random.Random(5).sample(records, 3000)
    for folder in sorted(MODELS.glob("linear-*")):
        scorer = LinearScorer.load(folder)
        featurizer = scorer._featurizer
        prepared = featurizer.prepare([r.text for r in sample if r.language in scorer.info.languages] or ["x"])
        reference = featurizer._char.transform
        for start in range(0, len(prepared), 64):
            batch = prepared[start : start + 64]
            _assert_same(reference(batch), featurizer._char_counts(batch))
