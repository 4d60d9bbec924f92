"""Expected FSRS-6 schedules from an independent implementation: the `fsrs` package on PyPI
(py-fsrs, pinned in requirements.txt), with its default parameters and fuzz off.

tests/fsrs_reference.rs replays every history in expected.json through tilebag's scheduler and
checks the memory states, states, steps and due times against it, so CI needs no Python.

To regenerate (from the workspace root; the venv lives under target/, which git ignores):

    python3 -m venv target/fsrs-venv
    target/fsrs-venv/bin/pip install -r crates/tilebag-study/tests/fsrs/requirements.txt
    target/fsrs-venv/bin/python crates/tilebag-study/tests/fsrs/generate.py

The histories are fixed by a seed, so regenerating with the same package gives the same file.
"""

import json
import random
from datetime import datetime, timedelta, timezone
from importlib.metadata import version
from pathlib import Path

from fsrs import Card, Rating, Scheduler, State

DAY_MS = 86_400_000
START = datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)
DEFAULT = {
    "desired_retention": 0.9,
    "maximum_interval_days": 1825,
    "learning_steps_secs": [60, 600],
    "relearning_steps_secs": [600],
}


def ms(moment):
    return round(moment.timestamp() * 1000)


def state_name(card):
    if card.state == State.Learning and card.stability is None:
        return "new"
    return {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}[card.state]


def scheduler(settings):
    return Scheduler(
        desired_retention=settings["desired_retention"],
        learning_steps=[timedelta(seconds=s) for s in settings["learning_steps_secs"]],
        relearning_steps=[timedelta(seconds=s) for s in settings["relearning_steps_secs"]],
        maximum_interval=settings["maximum_interval_days"],
        enable_fuzzing=False,
    )


def run(name, card_id, settings, plan):
    """plan: (rating, delay) pairs; delay is how long after the card falls due it is reviewed
    (a timedelta, negative for early, but never before the previous review)."""
    sched = scheduler(settings)
    card = Card(card_id=card_id, due=START)
    last = None
    reviews = []
    for rating, delay in plan:
        at = card.due + delay
        if last is not None and at <= last:
            at = last + timedelta(seconds=30)
        card, _ = sched.review_card(card, Rating(rating), review_datetime=at)
        last = at
        reviews.append(
            {
                "time": ms(at),
                "rating": rating,
                "state": state_name(card),
                "step": card.step or 0,
                "stability": card.stability,
                "difficulty": card.difficulty,
                "due": ms(card.due),
            }
        )
    return {"name": name, "card": card_id, "start": ms(START), "settings": settings, "reviews": reviews}


def on_time(ratings):
    return [(r, timedelta(0)) for r in ratings]


def with_settings(**changes):
    return {**DEFAULT, **changes}


def handwritten():
    d = timedelta
    yield "good every time", DEFAULT, on_time([3] * 14)
    yield "easy from the start", DEFAULT, on_time([4] * 8)
    yield "hard every time", DEFAULT, on_time([2] * 14)
    yield "again twice then good", DEFAULT, on_time([1, 1, 3, 3, 3, 3, 3, 3])
    yield "a lapse in review", DEFAULT, on_time([3, 3, 3, 3, 1, 3, 3, 3, 3])
    yield "two lapses in a row", DEFAULT, on_time([3, 3, 3, 3, 3, 1, 1, 3, 2, 3, 3])
    yield "overdue by months", DEFAULT, [(3, d(0)), (3, d(0)), (3, d(days=90)), (3, d(days=200)), (1, d(days=400)), (3, d(0)), (3, d(days=30))]
    yield "reviewed early, the same day", DEFAULT, [(3, d(0)), (3, d(0)), (3, d(hours=-20)), (3, d(hours=-30)), (4, d(0)), (2, d(days=-2)), (3, d(0))]
    yield "learning left for days", DEFAULT, [(3, d(0)), (3, d(days=3)), (3, d(0)), (3, d(0))]
    yield "low desired retention", with_settings(desired_retention=0.7), on_time([3] * 10 + [1, 3, 3])
    yield "high desired retention", with_settings(desired_retention=0.97), on_time([3] * 10 + [1, 3, 3])
    yield "no steps", with_settings(learning_steps_secs=[], relearning_steps_secs=[]), on_time([3, 3, 1, 3, 3, 2, 3])
    yield "three learning steps", with_settings(learning_steps_secs=[60, 600, 3600]), on_time([2, 3, 2, 3, 3, 3, 1, 2, 3, 3])
    yield "two relearning steps", with_settings(relearning_steps_secs=[300, 1800]), on_time([3, 3, 3, 1, 2, 3, 3, 3, 1, 4, 3])
    yield "a 30-day maximum", with_settings(maximum_interval_days=30), on_time([3] * 12)


def random_histories(rng, count):
    settings_choices = [
        DEFAULT,
        with_settings(desired_retention=0.8),
        with_settings(desired_retention=0.95),
        with_settings(learning_steps_secs=[30, 300, 1200], relearning_steps_secs=[600, 3600]),
        with_settings(maximum_interval_days=365),
    ]
    for i in range(count):
        settings = rng.choice(settings_choices)
        plan = []
        for _ in range(rng.randint(4, 24)):
            rating = rng.choices([1, 2, 3, 4], weights=[15, 15, 55, 15])[0]
            when = rng.random()
            if when < 0.6:
                delay = timedelta(0)
            elif when < 0.8:
                delay = timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 23))
            elif when < 0.9:
                delay = timedelta(hours=-rng.randint(1, 72))
            else:
                delay = timedelta(minutes=rng.randint(1, 600))
            plan.append((rating, delay))
        yield f"random history {i + 1}", settings, plan


def layout(out):
    """JSON with one line per review, so a regenerated table diffs readably."""
    compact = lambda value: json.dumps(value, separators=(",", ":"))
    lines = ["{"]
    for key in ("generator", "package", "parameters"):
        lines.append(f' "{key}": {compact(out[key])},')
    lines.append(' "cases": [')
    for i, case in enumerate(out["cases"]):
        head = {k: v for k, v in case.items() if k != "reviews"}
        lines.append("  " + compact(head)[:-1] + ',"reviews":[')
        lines.append(",\n".join("   " + compact(r) for r in case["reviews"]))
        lines.append("  ]}" + ("," if i + 1 < len(out["cases"]) else ""))
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    rng = random.Random(20260105)
    cases = []
    card_id = 1
    for name, settings, plan in list(handwritten()) + list(random_histories(rng, 60)):
        cases.append(run(name, card_id, settings, plan))
        card_id += 1
    out = {
        "generator": "crates/tilebag-study/tests/fsrs/generate.py",
        "package": f"fsrs {version('fsrs')} (PyPI)",
        "parameters": list(Scheduler().parameters),
        "cases": cases,
    }
    path = Path(__file__).with_name("expected.json")
    path.write_text(layout(out))
    print(f"{path}: {len(cases)} histories, {sum(len(c['reviews']) for c in cases)} reviews")


if __name__ == "__main__":
    main()
