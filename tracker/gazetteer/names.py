"""The one way a place name is turned into a lookup key, shared by the builder and the index.

Keys fold case, accents, periods, hyphens and apostrophes, so "U. S." and "U.S.", "Lattaquié" and
"Lattaquie", "Deir ez-Zor" and "Deir ez Zor" meet, and Saint, Mount or Fort in a longer name is keyed as
St, Mt or Ft ("Mt. Pleasant" finds Mount Pleasant); a name written only as a dotted abbreviation
("Va.", "N.Y.") keeps a final period in its key. Capitalisation is judged on the article text by
the recogniser, never here.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "‐": "-", "–": "-", "—": "-"})
_SEPARATORS = re.compile(r"[\s\-/]+")
_SINGLE_LETTERS = re.compile(r"\b(\w) (?=\w\b)")
_LEADING_ARTICLE = re.compile(r"^the ")
#: "Mount Pleasant" and "Mt. Pleasant", "Fort Myers" and "Ft. Myers", "Saint Louis" and "St. Louis",
#: "Sault Sainte Marie" and "Sault Ste. Marie" are one name: Mount and Fort opening a longer name,
#: and Saint and Sainte anywhere in one, are keyed by their abbreviations.
_LEADING_TITLE = re.compile(r"^(mount|fort)(?= \w)|\b(saint|sainte)(?= \w)|(?<=\w )(saint|sainte)\b")
_TITLE_ABBREVIATIONS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}
#: "Va.", "W. Va.", "N.Y.", "U.S.": written with periods these are abbreviations, and their key
#: keeps a final "." so that "Va." finds Virginia while "VA", "Mass" or "Miss" find nothing.
_DOTTED_ABBREVIATION = re.compile(r"^(?:[A-Z][A-Za-z]{0,4}\.\s?)+$")


def normalize_name(text: str) -> str:
    """Lookup key of a place name: lowercase ASCII-folded words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    key = stripped.casefold().replace(".", " ").replace(",", " ").replace("'", "")
    key = _SEPARATORS.sub(" ", key).strip()
    key = _SINGLE_LETTERS.sub(r"\1", key)
    key = _LEADING_ARTICLE.sub("", key)
    key = _LEADING_TITLE.sub(lambda match: _TITLE_ABBREVIATIONS[match.group(0)], key)
    if key and _DOTTED_ABBREVIATION.match(text.strip()):
        key += "."
    return key


# ---------------------------------------------------------------------------- transliteration folding

#: Arabic articles as romanised ("al-", "el-", "ad-", "ar-", "as-", "ash-", "ez-"…, the sun letters
#: assimilating the "l"): one word "al" in a folded key ("Deir ez-Zor", "Dayr az Zawr").
_ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "at", "az", "an", "ash", "adh", "ath", "ed", "er", "es",
                              "et", "ez", "en", "esh", "ul"})
#: Those that may open a name and be dropped there; "as", "at", "an", "en", "es", "et" open English
#: phrases ("At Benedict", "As Harding") and are kept.
_LEADING_ARABIC_ARTICLES = _ARABIC_ARTICLES - {"as", "at", "an", "en", "es", "et"}
#: Arabic name words written several ways: Tell/Tall/Tal/Tel (a mound), Ain/Ayn/Ein (a spring),
#: Deir/Dayr/Dair (a monastery), Jabal/Jebel (a mountain), Khirbat/Khirbet (a ruin), Bir/Beer (a well).
_ARABIC_WORDS = {"tell": "tal", "tall": "tal", "tel": "tal", "tal": "tal", "ain": "ain", "ayn": "ain", "ein": "ain",
                 "ayin": "ain", "deir": "deir", "dayr": "deir", "dair": "deir", "jabal": "jabal", "jebel": "jabal",
                 "jabel": "jabal", "khirbat": "khirbat", "khirbet": "khirbat", "khirbit": "khirbat",
                 "kafr": "kafr", "kfar": "kafr", "kafar": "kafr"}
#: Word endings of Ukrainian national romanisation and of the Russian-era forms of the same names:
#: -ivka/-ovka/-evka, -ske/-skoye/-skoe, -skyi/-skiy/-sky, and a final -iv/-ov/-ev (Kharkiv/Kharkov).
_SLAVIC_ENDINGS = (
    (re.compile(r"(?<=\w\w)[aeiouy]*vka$"), "ivka"),
    (re.compile(r"(?<=\w\w)s(?:ke|koye|koe|koje|kaya|ka)$"), "ske"),
    (re.compile(r"(?<=\w\w)s(?:kyi|kyy|kiy|kii|ky|kij|ki)$"), "ski"),
    (re.compile(r"(?<=\w\w)[aeiouy]*v$"), "iv"),
)
#: The folding rules, each measured on its own by ``benchmarks/folding.py``.
FOLDING_RULES = ("arabic_articles", "arabic_words", "slavic_endings", "y_as_i", "ou_as_u", "final_h")
#: Measured and left out of the default: doubled letters ("Raqqa"/"Raqa") join English names and
#: words to foreign towns ("Moody"/"Modi", "Statte"/"State", "Somme"/"Some").
OTHER_RULES = ("doubled_letters",)


def fold_name(key: str, rules: tuple[str, ...] = FOLDING_RULES) -> str:
    """A coarser key under which transliterations of one name meet: "Tall Abyad", "Tell Abiad" and
    "Tal Abyad"; "Kharkiv" and "Kharkov"; "Kyiv" and "Kiev"; "Deir ez-Zor" and "Dayr az Zawr" are
    still apart (two vowels differ), "Dayr az Zor" is not. ``key`` is already normalised
    (``normalize_name``); ``rules`` names the foldings to apply (all by default)."""
    if rules == FOLDING_RULES and not _MAY_FOLD.search(key):
        return key  # most keys hold nothing a folding changes: one search instead of the loop
    words = key.split(" ")
    folded = []
    for position, word in enumerate(words):
        if "arabic_articles" in rules and word in _ARABIC_ARTICLES and position + 1 < len(words):
            if position == 0 and word in _LEADING_ARABIC_ARTICLES:
                continue  # "Ar Raqqah", "Al-Raqqa" and "Raqqa"
            if position > 0:
                word = "al"
        if "arabic_words" in rules and position + 1 < len(words):
            word = _ARABIC_WORDS.get(word, word)
        if "slavic_endings" in rules and len(word) >= 4 and (word[-1] == "v" or word.endswith("vka") or "sk" in word[-7:]):
            for pattern, ending in _SLAVIC_ENDINGS:
                word = pattern.sub(ending, word)
        if "y_as_i" in rules:
            # inside a word only: an initial y is a consonant ("Yemen"), a final one ends English
            # words and names ("Monday", "Mundy") that would meet other places' -i
            if len(word) > 2 and "y" in word[1:-1]:
                inner = word[1:-1].replace("yy", "i").replace("iy", "i").replace("yi", "i").replace("y", "i")
                word = word[0] + inner + word[-1]
            word = word.replace("ii", "i")  # "Avdiivka"; "Kiev" after its ending is folded
        if "ou_as_u" in rules:
            word = word.replace("ou", "u")
        if "final_h" in rules and len(word) >= 4 and word.endswith(("ah", "eh")):
            word = word[:-1]
        if "doubled_letters" in rules:
            word = _DOUBLED.sub(r"\1", word)
        folded.append(word)
    return " ".join(folded)


_DOUBLED = re.compile(r"(\w)\1+")
#: What any default folding may change: an article or Arabic name word before another word, a
#: Slavic ending (-v, -vka, -sk…), a y inside a word, "ii", "ou", a final -ah/-eh.
_MAY_FOLD = re.compile(
    r"\b(?:" + "|".join(sorted(_ARABIC_ARTICLES | set(_ARABIC_WORDS), key=len, reverse=True)) + r") \S"
    r"|v\b|vka\b|sk|[^ ]y[^ ]|ii|ou|[ae]h\b")
