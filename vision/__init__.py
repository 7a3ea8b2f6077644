"""Meter reading from photos and cameras: pointer gauges and gas-meter registers (no Qt)."""
