"""Shared by the script tests: where the repository and the debug build of guichet are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUICHET = ROOT / ".build" / "debug" / "guichet"


@pytest.fixture(scope="session")
def guichet() -> Path:
    """The debug executable Scripts/test builds before running these tests."""
    if not GUICHET.exists():
        pytest.skip(f"{GUICHET} is not built: run `swift build` (Scripts/test does) first")
    return GUICHET
