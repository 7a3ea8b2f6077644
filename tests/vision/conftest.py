import pytest

from vision import MeterReader


@pytest.fixture(scope="session")
def reader() -> MeterReader:
    return MeterReader()
