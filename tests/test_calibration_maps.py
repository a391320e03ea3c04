"""The maps from our probabilities onto Perspective's scale (fitted at export time, applied at serving time)."""

from __future__ import annotations

import numpy as np
import pytest

from civility.training.calibrate import apply_map, fit_isotonic_map, plateau_knots


def test_plateau_knots_by_hand() -> None:
    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    y = np.array([0.0, 0.0, 0.5, 0.5, 0.5, 1.0])
    knots_x, knots_y = plateau_knots(x, y)
    assert knots_x.tolist() == pytest.approx([0.15, 0.4, 0.6])
    assert knots_y.tolist() == [0.0, 0.5, 1.0]


def test_isotonic_map_is_monotone_calibrated_and_does_not_tie_distinct_scores() -> None:
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 1, 4000)
    target = (rng.uniform(0, 1, p.size) < p**2).astype(float)  # true map: p -> p**2
    spec = fit_isotonic_map(p, target)
    assert np.all(np.diff(spec["x"]) > 0) and np.all(np.diff(spec["y"]) > 0)
    inside = np.linspace(spec["x"][0], spec["x"][-1], 500)
    mapped = apply_map(spec, inside)
    assert np.all(np.diff(mapped) > 0)  # strictly increasing between the end knots: no two comments tie
    assert np.mean(np.abs(mapped - inside**2)) < 0.05  # and still close to the true calibration
