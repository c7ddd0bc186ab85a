"""Fixtures for importer tests: real test files by path (never downloaded) and a secret."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pydicom
import pytest

from importers.deid import Deidentifier

PYDICOM_FILES = Path(pydicom.__file__).parent / "data" / "test_files"
_spec = importlib.util.find_spec("data_store")
assert _spec is not None and _spec.origin is not None, "pydicom-data must be installed"
DATA_STORE_FILES = Path(_spec.origin).parent / "data"
SECRET = b"lightbox-test-secret-0123456789"


def _find(name: str) -> Path:
    for folder in (PYDICOM_FILES, DATA_STORE_FILES):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(name)


@pytest.fixture
def real_file() -> Callable[[str], Path]:
    """Look up a test file from pydicom's own set or from pydicom-data, by name."""
    return _find


@pytest.fixture
def pydicom_files() -> Path:
    return PYDICOM_FILES


@pytest.fixture
def secret() -> bytes:
    return SECRET


@pytest.fixture
def deid() -> Deidentifier:
    return Deidentifier(SECRET)
