"""Reciprocal rank fusion and per-group calibration."""

from __future__ import annotations

import numpy as np

from buicasus.core.fusion import calibrate, rrf, to_unit


def test_rrf_rewards_agreement_and_weights() -> None:
    fused = rrf([(["a", "b", "c"], 1.0), (["b", "a"], 1.0)])
    assert fused["a"] == fused["b"] > fused["c"]
    weighted = rrf([(["a", "b"], 1.0), (["b", "a"], 0.5)])
    assert weighted["a"] > weighted["b"]
    assert rrf([]) == {}


def test_calibration_compares_each_document_with_its_own_group() -> None:
    # Group 0 (short texts in the need's language) scores high across the board; group 1 low.
    scores = np.array([0.90, 0.88, 0.87, 0.86, 0.70, 0.60, 0.61, 0.59], dtype=np.float32)
    groups = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    raw_best_of_1 = 4
    z = calibrate(scores, groups, shrink=0.0)
    # Raw, the best of group 1 trails all of group 0; calibrated, it leads.
    assert scores[raw_best_of_1] < scores[:4].min()
    assert int(np.argmax(z)) == raw_best_of_1


def test_shrinkage_leaves_small_groups_near_the_global_scale() -> None:
    scores = np.array([0.9, 0.5, 0.4, 0.3], dtype=np.float32)
    groups = np.array([0, 1, 1, 1])
    z = calibrate(scores, groups, shrink=1e9)
    overall = (scores - scores.mean()) / scores.std()
    np.testing.assert_allclose(z, overall, rtol=1e-4)


def test_given_statistics_and_missing_scores() -> None:
    scores = np.array([0.5, -np.inf], dtype=np.float32)
    z = calibrate(scores, np.array([0, 0]), shrink=0.0, stats={0: (0.3, 0.1, 1000)})
    assert abs(z[0] - 2.0) < 1e-5 and z[1] == -np.inf
    assert to_unit(2.0) == 0.5 and to_unit(6.0) > 0.99 and to_unit(-2.0) < 0.01
