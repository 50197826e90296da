"""Benchmark of grade_round: 50,000 people in 120 pools.

Run: .venv/bin/python benchmarks/bench_grading.py

Prints the median of 5 runs of grade_round beside a bare baseline measured in the same run
(grouping the same composite values by pool and sorting them with plain Python), and the
ratio between the two. Target: grade_round under 2 s.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.assessment.engine import Adjustment, Override, PersonInput, SanctionInForce, grade_round  # noqa: E402
from models.assessment.rules import Grade, default_rules  # noqa: E402

PEOPLE = 50_000
POOLS = 120
RUNS = 5
ITEMS = ("de", "neng", "qin", "ji", "lian")
GROUPS = ("superior", "peer", "subordinate", "served")


def make_people(seed: int = 1) -> list[PersonInput]:
    rng = random.Random(seed)
    out: list[PersonInput] = []
    for i in range(PEOPLE):

        def sc() -> Decimal:
            return Decimal(rng.randint(7000, 10000)) / 100

        votes = None
        averages = None
        if rng.random() < 0.5:
            votes = {
                g: {
                    "优秀": rng.randint(0, 12),
                    "称职": rng.randint(0, 4),
                    "不称职": rng.randint(0, 1),
                }
                for g in GROUPS
            }
            votes["superior"]["优秀"] += 1
        else:
            averages = {g: sc() for g in GROUPS}
        sanctions = (SanctionInForce("admonition"),) if rng.random() < 0.02 else ()
        probation = rng.random() < 0.01
        barred = sanctions or probation
        override = None
        if rng.random() < 0.002 and not barred:
            override = Override(Grade.BASIC, "委员会意见")
        out.append(
            PersonInput(
                person_id=i,
                name=f"人{i}",
                unit=f"单位{rng.randrange(POOLS):03d}",
                item_scores={c: sc() for c in ITEMS},
                votes=votes,
                group_averages=averages,
                adjustments=(Adjustment(Decimal("0.5"), "表彰"),) if rng.random() < 0.05 else (),
                sanctions=sanctions,
                on_probation=probation,
                quarterly_grades=tuple(rng.choice(["好", "较好", "一般"]) for _ in range(4)),
                override=override,
            )
        )
    return out


def main() -> None:
    rules = default_rules()
    people = make_people()
    wall: list[float] = []
    cpu: list[float] = []
    result = None
    for _ in range(RUNS):
        c0, t0 = time.process_time(), time.perf_counter()
        result = grade_round(rules, people)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert result is not None

    # bare baseline: the same composite values, grouped by pool and sorted, plain Python
    pairs = [(r.pool_key, r.composite) for r in result.people if r.composite is not None]
    base_wall: list[float] = []
    base_cpu: list[float] = []
    for _ in range(RUNS):
        c0, t0 = time.process_time(), time.perf_counter()
        pools: dict[str, list[Decimal]] = {}
        for key, comp in pairs:
            pools.setdefault(key, []).append(comp)
        for values in pools.values():
            values.sort(reverse=True)
        base_wall.append(time.perf_counter() - t0)
        base_cpu.append(time.process_time() - c0)

    med = statistics.median
    excellent = sum(s.counts[Grade.EXCELLENT] for s in result.pools)
    print(f"grade_round: {len(people)} people in {len(result.pools)} pools, {excellent} 优秀")
    print(
        f"  grade_round median of {RUNS}: wall {med(wall):.3f} s, cpu {med(cpu):.3f} s"
        f"  (wall runs: {', '.join(f'{t:.3f}' for t in wall)})"
    )
    print(
        f"  baseline (group + sort composites) median of {RUNS}: wall {med(base_wall):.4f} s,"
        f" cpu {med(base_cpu):.4f} s"
    )
    print(f"  ratio grade_round / baseline (wall): {med(wall) / med(base_wall):.0f}x")
    print(f"  target < 2 s (wall median): {'OK' if med(wall) < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
