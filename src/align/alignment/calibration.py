"""Bead confidence: the probability, calibrated on mac-dev, that a bead is exactly right.

A logistic model of the bead's score and shape, fitted by eval/calibrate_align.py
on the parallel-mode beads of mac-dev (label: the bead equals a gold bead).
"""
from __future__ import annotations

import math

# Fitted by eval/calibrate_align.py (see its output in the README).
PARALLEL = {"bias": 0.6647, "score": 4.5142, "multi": -0.9219, "skip": -7.9798}


def parallel_confidence(score: float, x: int, y: int) -> float:
    c = PARALLEL
    if x == 0 or y == 0:
        z = c["bias"] + c["skip"]
    else:
        z = c["bias"] + c["score"] * score + c["multi"] * (x + y > 2)
    return 1.0 / (1.0 + math.exp(-z))
