"""Synthetic meter photos with exact ground truth (deterministic from a seed)."""

from vision.synth.gauge import GaugeTruth, make_gauge
from vision.synth.photo import degrade
from vision.synth.register import RegisterTruth, make_register

__all__ = ["GaugeTruth", "RegisterTruth", "degrade", "make_gauge", "make_register"]
