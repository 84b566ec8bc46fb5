#!/usr/bin/env python3
"""Write ``benchmarks/conflict_notes.jsonl``: event notes in the ACLED style, written for issue 21.

    python benchmarks/conflict_notes_build.py

Every sentence is our own; the places in them are GeoNames places of the bundled gazetteer
(their coordinates are read from ``data/gazetteer.sqlite`` by name, country, first-level region
and feature code), and a few villages the gazetteer lacks ("Zelena Dolyna", "Kyauk Ye"): those
are gold names without coordinates, which count for recognition only. Where a note names no area
(pattern "namesake"), the gold is the namesake nearest the note's other places, which is the
rule under test: these cases measure the rules written for them, not reporting at large.
Demonyms ("Russian") are marked as such, so the scorer leaves them out.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: (surface, (gazetteer key, country, admin1, feature code)) or (surface, None) for a name the
#: gazetteer lacks, or (surface, "Demonym").
NOTES = [
    ("area", "On 5 March 2022, Russian forces shelled Ivanivka, Kherson oblast, killing one civilian.",
     [("Russian", "Demonym"), ("Ivanivka", ("ivanivka", "UA", "08", "PPL")), ("Kherson", ("kherson", "UA", "08", "ADM1"))]),
    ("area", "On 3 July 2022, Russian forces shelled Andriivka, Odesa oblast.",
     [("Russian", "Demonym"), ("Andriivka", ("andriivka", "UA", "17", "PPL")), ("Odesa", ("odesa", "UA", "17", "ADM1"))]),
    ("area", "On 11 July 2022, a Russian drone struck Zelenyi Hai, Zaporizhzhia oblast.",
     [("Russian", "Demonym"), ("Zelenyi Hai", ("zelenyi hai", "UA", "26", "PPL")),
      ("Zaporizhzhia", ("zaporizhzhia", "UA", "26", "ADM1"))]),
    ("area", "On 2 May 2022, Russian forces detained the head of Hryhorivka village, Kherson.",
     [("Russian", "Demonym"), ("Hryhorivka", ("hryhorivka", "UA", "08", "PPL")), ("Kherson", ("kherson", "UA", "08", "ADM1"))]),
    ("area", "On 20 June 2022, Russian artillery hit Ivanivka (Bakhmut raion, Donetsk oblast).",
     [("Russian", "Demonym"), ("Ivanivka", ("ivanivka", "UA", "05", "PPL")), ("Bakhmut", ("bakhmut raion", "UA", "05", "ADM2")),
      ("Donetsk", ("donetsk", "UA", "05", "ADM1"))]),
    ("area", "On 7 May 2022, shelling hit Ivanivka, Kharkiv oblast, killing two civilians.",
     [("Ivanivka", None), ("Kharkiv", ("kharkiv", "UA", "07", "ADM1"))]),
    ("area", "On 18 August 2022, Russian forces shelled Mykolaivka, Sumy oblast.",
     [("Russian", "Demonym"), ("Mykolaivka", ("mykolaivka", "UA", "21", "PPL")), ("Sumy", ("sumy", "UA", "21", "ADM1"))]),
    ("area", "On 9 June 2022, clashes in Kani township, Sagaing region, left three dead.",
     [("Kani", None), ("Sagaing", ("sagaing", "MM", "10", "ADM1"))]),
    ("area", "On 4 March 2022, regime forces shelled Kafr Nabl (Maarrat al-Numan district, Idlib governorate).",
     [("Kafr Nabl", ("kafr nabl", "SY", "12", "PPL")),
      ("Maarrat al-Numan", ("maarrat al numan district", "SY", "12", "ADM2")), ("Idlib", ("idlib", "SY", "12", "ADM1"))]),
    ("area", "On 9 September 2022, Houthi forces shelled government positions in Hays, Al Hudaydah governorate.",
     [("Hays", ("hays", "YE", "08", "PPL")), ("Al Hudaydah", ("al hudaydah", "YE", "08", "ADM1"))]),
    ("area", "On 1 October 2022, Taliban forces raided a house in Kai village, Achin district, Nangarhar province.",
     [("Kai", ("kai", "AF", "18", "PPL")), ("Achin", ("achin", "AF", "18", "ADM2")),
      ("Nangarhar", ("nangarhar", "AF", "18", "ADM1"))]),
    ("long_name", "On 12 August 2022, Russian forces shelled Bila Hora and Zelena Dolyna, Donetsk oblast.",
     [("Russian", "Demonym"), ("Bila Hora", None), ("Zelena Dolyna", None), ("Donetsk", ("donetsk", "UA", "05", "ADM1"))]),
    ("long_name", "On 9 June 2022, Myanmar military troops burned houses in Kyauk Ye village, Sagaing region.",
     [("Myanmar", ("myanmar", "MM", "", "PCLI")), ("Kyauk Ye", None), ("Sagaing", ("sagaing", "MM", "10", "ADM1"))]),
    ("long_name", "On 6 May 2022, a landmine exploded in Boston al-Hamra orchards near Jisr al-Shughur, Idlib governorate.",
     [("Boston al-Hamra", None), ("Jisr al-Shughur", ("jisr ash shughur", "SY", "12", "PPL")),
      ("Idlib", ("idlib", "SY", "12", "ADM1"))]),
    ("long_name", "On 2 July 2022, Houthi forces shelled Wadi Bana in Taiz governorate.",
     [("Wadi Bana", None), ("Taiz", ("taiz", "YE", "25", "ADM1"))]),
    ("long_name", "On 14 September 2022, Russian forces shelled Velyka Novosilka, Donetsk oblast.",
     [("Russian", "Demonym"), ("Velyka Novosilka", ("velyka novosilka", "UA", "05", "PPL")),
      ("Donetsk", ("donetsk", "UA", "05", "ADM1"))]),
    ("long_name", "On 3 March 2022, regime forces shelled Maarrat al-Numan and Kafr Nabl.",
     [("Maarrat al-Numan", ("maarrat al numan", "SY", "12", "PPL")), ("Kafr Nabl", ("kafr nabl", "SY", "12", "PPL"))]),
    ("country", "On 9 June 2022, Myanmar military troops raided Kani and then moved to Monywa.",
     [("Myanmar", ("myanmar", "MM", "", "PCLI")), ("Kani", None), ("Monywa", ("monywa", "MM", "10", "PPL"))]),
    ("country", "On 3 March 2022, regime forces shelled Madaya and Zabadani.",
     [("Madaya", ("madaya", "SY", "08", "PPL")), ("Zabadani", ("zabadani", "SY", "08", "PPL"))]),
    ("country", "On 11 April 2022, Turkish-backed factions shelled Mari and Tall Rifat.",
     [("Turkish", "Demonym"), ("Mari", ("mari", "SY", "09", "PPL")), ("Tall Rifat", ("tall rifat", "SY", "09", "PPL"))]),
    ("country", "On 7 July 2022, Taliban fighters clashed with ISKP militants in Baraki and Pul-e Alam.",
     [("Baraki", ("baraki", "AF", "17", "PPL")), ("Pul-e Alam", ("pul e alam", "AF", "17", "PPL"))]),
    ("country", "On 2 August 2022, Houthi forces shelled Juban and Qataba.",
     [("Juban", ("juban", "YE", "18", "PPL")), ("Qataba", ("qataba", "YE", "18", "PPL"))]),
    ("namesake", "On 15 May 2022, Russian forces shelled Mykolaiv and Ivanivka.",
     [("Russian", "Demonym"), ("Mykolaiv", ("mykolaiv", "UA", "16", "PPL")), ("Ivanivka", ("ivanivka", "UA", "16", "PPL", 46.9))]),
    ("namesake", "On 2 June 2022, Russian forces shelled Voznesensk, Novyi Buh and Ivanivka.",
     [("Russian", "Demonym"), ("Voznesensk", ("voznesensk", "UA", "16", "PPL")), ("Novyi Buh", ("novyi buh", "UA", "16", "PPL")),
      ("Ivanivka", ("ivanivka", "UA", "16", "PPL", 47.8))]),
    ("namesake", "On 21 May 2022, Russian forces shelled Kramatorsk and Petrivka.",
     [("Russian", "Demonym"), ("Kramatorsk", ("kramatorsk", "UA", "05", "PPL")), ("Petrivka", ("petrivka", "UA", "05", "PPL"))]),
    ("namesake", "On 30 May 2022, Russian forces shelled Sloviansk, Kramatorsk and Novoselivka.",
     [("Russian", "Demonym"), ("Sloviansk", ("sloviansk", "UA", "05", "PPL")), ("Kramatorsk", ("kramatorsk", "UA", "05", "PPL")),
      ("Novoselivka", ("novoselivka", "UA", "05", "PPL", 48.82))]),
    ("news", "Voters in Paris, Texas, chose a new mayor on Tuesday.",
     [("Paris", ("paris", "US", "TX", "PPL")), ("Texas", ("texas", "US", "TX", "ADM1"))]),
    ("news", "The delegation flew from London to Paris, France, on Monday.",
     [("London", ("london", "GB", "ENG", "PPLC")), ("Paris", ("paris", "FR", "11", "PPLC")), ("France", ("france", "FR", "", "PCLI"))]),
    ("news", "Lebanon, Syria and Jordan host most of the refugees.",
     [("Lebanon", ("lebanon", "LB", "", "PCLI")), ("Syria", ("syria", "SY", "", "PCLI")), ("Jordan", ("jordan", "JO", "", "PCLI"))]),
]


def coordinates(db: sqlite3.Connection, key: str, country: str, admin1: str, code: str,
                near_lat: float | None = None) -> tuple[float, float]:
    rows = db.execute(
        "SELECT p.lat, p.lon, p.population, n.kind FROM names n JOIN places p ON p.id = n.place_id "
        "WHERE n.key = ? AND p.country_code = ? AND p.admin1_code = ? AND p.feature_code = ?",
        (key, country, admin1, code)).fetchall()
    if not rows:
        raise SystemExit(f"no {code} {key!r} in {country}/{admin1}")
    if near_lat is not None:  # one of several namesakes in the region: the one at this latitude
        rows.sort(key=lambda row: (row[3] != 0, abs(row[0] - near_lat)))
    else:  # the place the name is the own name of, then the most populous
        rows.sort(key=lambda row: (row[3] != 0, -row[2]))
    return round(rows[0][0], 5), round(rows[0][1], 5)


def main() -> None:
    db = sqlite3.connect(ROOT / "data" / "gazetteer.sqlite")
    lines = []
    for number, (pattern, text, places) in enumerate(NOTES, 1):
        toponyms, searched_from = [], 0
        for surface, where in places:
            start = text.index(surface, searched_from)
            searched_from = start + len(surface)
            toponym = {"start": start, "end": start + len(surface), "name": surface}
            if where == "Demonym":
                toponym.update(type="Demonym", lat=None, lon=None)
            elif where is None:
                toponym.update(lat=None, lon=None)
            else:
                toponym["lat"], toponym["lon"] = coordinates(db, *where)
            toponyms.append(toponym)
        lines.append(json.dumps({"id": f"note-{number:02d}", "pattern": pattern, "text": text, "toponyms": toponyms},
                                ensure_ascii=False))
    (ROOT / "benchmarks" / "conflict_notes.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
