"""The suite tests the installed package, never the source tree."""

from pathlib import Path

import plangate
from conftest import ROOT


def test_the_package_comes_from_the_installation_not_the_source_tree() -> None:
    location = Path(plangate.__file__).resolve()
    assert "site-packages" in location.parts, location
    assert ROOT / "bindings-python" not in location.parents, location
    assert plangate.__version__
