"""Where the bundled data lives.

The design keeps data in the top-level ``data/`` folder, apart from code. An installed wheel
carries it as ``tracker/data`` (see ``pyproject.toml``); a source checkout or an editable
install reads the folder beside the package. ``TRACKER_DATA_DIR`` overrides both.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tracker.errors import DataError

_PACKAGE = Path(__file__).resolve().parents[1]  # the tracker package (this is tracker/common/resources.py)


def data_dir() -> Path:
    """The folder holding ``gazetteer.sqlite``, the lexicons and the sample articles."""
    override = os.environ.get("TRACKER_DATA_DIR")
    candidates = [Path(override)] if override else [_PACKAGE.parent / "data", _PACKAGE / "data"]
    for candidate in candidates:
        if (candidate / "gazetteer.sqlite").is_file():
            return candidate
    raise DataError(f"bundled data not found (looked in {', '.join(map(str, candidates))}); "
                    "reinstall the tracker, or set TRACKER_DATA_DIR to the folder holding gazetteer.sqlite")


def data_file(*parts: str) -> Path:
    path = data_dir().joinpath(*parts)
    if not path.exists():
        raise DataError(f"bundled data file {path} is missing; reinstall the tracker or rebuild it "
                        "with python -m tracker.gazetteer.build")
    return path


def read_fitted_weights(path: Path, model: str, script: str,
                        scalars: tuple[str, ...] = ()) -> tuple[dict[str, float], dict[str, float]]:
    """(feature -> weight, named scalars such as a threshold) of a model fitted by a script in
    ``benchmarks/``; a file that cannot be read says how to refit it."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        weights = dict(zip(data["features"], map(float, data["weights"]), strict=True))
        return weights, {name: float(data[name]) for name in scalars}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataError(f"{path}: unreadable {model} weights ({error}); refit them with "
                        f"python benchmarks/{script}") from error
