"""Keep or drop each candidate span: the logistic filter over its features, and the readings that
need no weighing.

The filter's weights (``data/recognizer/toponym_filter.json``) are fitted by
``benchmarks/fit_recognizer.py``. A few readings come before it: names listed with "counties"
are those counties; a name listed between two kept places is kept, and so are the names listed
after a conflict cue ("shelled A, B and C"); a name known only as small places' alternates needs a
sure place cue.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.common.resources import data_file, read_fitted_weights
from tracker.recognize.toponym_evidence import SpanCandidate


@dataclass(frozen=True, slots=True)
class LinearFilter:
    """Logistic model over named features; ``threshold`` on the probability decides."""

    weights: dict[str, float]
    threshold: float = 0.5

    def probability(self, features: dict[str, float]) -> float:
        z = sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def load(cls, path=None) -> LinearFilter:
        weights, scalars = read_fitted_weights(path or data_file("recognizer/toponym_filter.json"), "recogniser",
                                               "fit_recognizer.py", scalars=("threshold",))
        return cls(weights, scalars["threshold"])


_LIST_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s*")


def with_names_listed_between_places(candidates: Sequence[SpanCandidate], keep: list[bool], text: str) -> list[bool]:
    """``keep`` (one flag per candidate, in text order) with a name the filter doubted but listed
    between two kept places kept too: "Tampa, Orlando, Jacksonville" (Orlando is also a given
    name and a surname)."""
    listed = list(keep)
    for index in range(1, len(candidates) - 1):
        before, middle, after = candidates[index - 1:index + 2]
        if (not keep[index] and keep[index - 1] and keep[index + 1]
                and middle.kind == "name" and "in_list_of_places" in middle.features
                and _LIST_GAP.fullmatch(text, before.end, middle.start)
                and _LIST_GAP.fullmatch(text, middle.end, after.start)):
            listed[index] = True
    return listed


def with_names_listed_after_a_conflict_cue(candidates: Sequence[SpanCandidate], keep: list[bool], text: str) -> list[bool]:
    """``keep`` with the names listed after a name that a conflict cue or a place slot keeps kept
    too: "shelled Beryslav, Tiahynka and Antonivka", "the villages of Robotyne and Verbove" (the
    cue before the first name is said of all)."""
    listed = list(keep)
    for index in range(1, len(candidates)):
        before, current = candidates[index - 1], candidates[index]
        if (not listed[index] and listed[index - 1] and current.kind == "name"
                and ("conflict_cue" in before.features or "place_slot" in before.features
                     or "listed_after_cue" in before.features or "near_cue" in before.features)
                and not any(name in current.features for name in _NOT_A_PLACE_HERE)
                and _LIST_GAP.fullmatch(text, before.end, current.start)):
            listed[index] = True
            current.features["listed_after_cue"] = 1.0
    return listed


def kept_by_rule(candidate: SpanCandidate) -> bool | None:
    """Readings that need no weighing: names listed with "counties" are kept; a name the
    gazetteer lacks is here only because a place slot holds it; a name known only as an
    alternate spelling of small places needs a sure place cue ("near Tell Abiad", "the village
    of Kotovka"): most such alternates are other languages' spellings that collide with English
    words and names. None: the filter decides."""
    features = candidate.features
    if "listed_division" in features or "place_slot" in features or "lowercase_region" in features:
        return True
    if "minor_alternate_only" in features and "sure_place_cue" not in features:
        return False
    if "conflict_cue" in features and not any(name in features for name in _NOT_A_PLACE_HERE):
        return True
    return None


#: Evidence that a name is a person's or a word's, which a conflict cue does not outweigh.
_NOT_A_PLACE_HERE = ("common_word", "given_name", "surname", "after_title", "after_given_name", "before_speech_verb",
                     "before_surname", "person_elsewhere", "adjective_only")
