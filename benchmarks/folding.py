"""Measure each transliteration folding of ``tracker/gazetteer/names.py`` on its own (issue 14).

Two counts per rule, on the gazetteer alone (no annotated text is read):

* joins — pairs of distinct name keys that the rule alone makes meet. A join is *true* when
  GeoNames lists both spellings for one place ("Tall Abyad" and "Tell Abyad"), *false* when the
  two keys name no place in common ("Moody" and "Modi");
* false matches in English text — English words (``data/common_words.txt``, capitalised as at the
  start of a sentence) and given names and surnames (``data/person_names.txt``) that are no key but
  whose fold under the rule is one: each would be a candidate place where no place is meant.

    python benchmarks/folding.py [--gazetteer data/gazetteer.sqlite] [--examples 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.gazetteer.names import FOLDING_RULES, OTHER_RULES, fold_name  # noqa: E402
from tracker.gazetteer.word_lists import read_common_words, read_person_names  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gazetteer", type=Path, default=ROOT / "data" / "gazetteer.sqlite")
    parser.add_argument("--examples", type=int, default=4)
    args = parser.parse_args()
    connection = sqlite3.connect(f"file:{args.gazetteer}?mode=ro", uri=True)
    places_of: dict[str, set[int]] = defaultdict(set)
    for key, place_id in connection.execute("SELECT key, place_id FROM names"):
        places_of[key].add(place_id)
    words = read_common_words(ROOT / "data" / "common_words.txt")
    given, family = read_person_names(ROOT / "data" / "person_names.txt")
    english = sorted((words | given | family) - set(places_of))
    print(f"{len(places_of)} keys; {len(english)} English words and person names that are no key\n")
    print("| rule | joins | true | false | false share | English words matched | examples of false joins | examples of words |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for rule in (*FOLDING_RULES, *OTHER_RULES):
        groups: dict[str, list[str]] = defaultdict(list)
        for key in places_of:
            groups[fold_name(key, (rule,))].append(key)
        true = false = 0
        false_examples = []
        for folded, keys in groups.items():
            if len(keys) < 2:
                continue
            for index, first in enumerate(keys):
                for second in keys[index + 1:]:
                    if places_of[first] & places_of[second]:
                        true += 1
                    else:
                        false += 1
                        if len(false_examples) < args.examples:
                            false_examples.append(f"{first}/{second}")
        matched = [word for word in english if (folded := fold_name(word, (rule,))) != word and folded in places_of]
        share = false / (true + false) if true + false else 0.0
        print(f"| {rule}{' (left out)' if rule in OTHER_RULES else ''} | {true + false} | {true} | {false} | {share:.2f} | "
              f"{len(matched)} | {', '.join(false_examples)} | {', '.join(matched[:args.examples])} |")


if __name__ == "__main__":
    main()
