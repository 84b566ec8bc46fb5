"""Time ``tracker gazetteer build`` on a synthetic GeoNames dump and read its peak memory.

No GeoNames download is at hand offline, so the dump is made up: ``--lines`` rows in GeoNames'
19-column format (villages with three alternate names each, seeded), zipped as GeoNames ships
them. It shows that memory stays bounded as the dump grows (run with two sizes) and how many
bytes a place and its names take in the result.

    python benchmarks/gazetteer_build.py --lines 200000
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYLLABLES = ("ka", "ro", "vi", "an", "hi", "zor", "lyn", "ta", "mi", "sha", "dub", "ov", "iv", "ne", "ska", "ra")


def synthetic_dump(path: Path, lines: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("XX.txt", "w") as raw:
        for index in range(lines):
            name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            alternates = ",".join(name + suffix for suffix in ("ka", "ivka", "ovka"))
            row = [str(90_000_000 + index), name, name, alternates, f"{rng.uniform(44, 52):.5f}",
                   f"{rng.uniform(22, 40):.5f}", "P", "PPL", "UA", "", f"{rng.randint(1, 26):02d}", "", "", "",
                   str(rng.choice((0, 0, 0, 120, 800))), "", "100", "Europe/Kyiv", "2024-01-01"]
            raw.write(("\t".join(row) + "\n").encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        dump, output = Path(folder) / "XX.zip", Path(folder) / "out.sqlite"
        synthetic_dump(dump, args.lines)
        started = time.perf_counter()
        run = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "tracker.cli.main", "gazetteer", "build",
                              "--geonames", str(dump), "-o", str(output)], cwd=ROOT, capture_output=True, text=True,
                             check=True)
        seconds = time.perf_counter() - started
        peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
        bundled = (ROOT / "data" / "gazetteer.sqlite").stat().st_size
        added = output.stat().st_size - bundled
        print(f"{args.lines} dump lines: {seconds:.1f} s, {args.lines / seconds:.0f} lines/s, peak RSS "
              f"{peak_kb / 1024:.0f} MB, output {output.stat().st_size / 1e6:.1f} MB "
              f"({added / args.lines:.0f} bytes per added place with 4 names)")


if __name__ == "__main__":
    main()
