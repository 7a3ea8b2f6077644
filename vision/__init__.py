"""Meter reading from photos and cameras: pointer gauges and gas-meter registers (no Qt)."""

from vision.reader import MeterReader, load_image, read_meter
from vision.types import DialProfile, DigitResult, Geometry, MeterReading

__all__ = ["DialProfile", "DigitResult", "Geometry", "MeterReader", "MeterReading", "load_image", "read_meter"]
