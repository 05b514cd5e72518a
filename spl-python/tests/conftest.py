"""Shared paths for the spl-python tests (run by .ci/python against the built wheel)."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
NOW = "2024-05-01T12:00:00Z"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
