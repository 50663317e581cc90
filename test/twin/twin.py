"""An independent twin of handoff-sim's queued driver, written in SimPy (Debian's python3-simpy3).

It reads the same scenario files as the simulator (test/twin/scenarios/*.yaml) and implements,
with SimPy's own mechanisms and Python's own random numbers, the subset of the format they use:
Poisson arrivals shaped by hour and day of the week (by thinning), patient classes and their
starts, exponential or fixed times, capacities and shifts, staffed hours with `until_open`,
blocking after service, and reneging (`max_wait` with `then: leave | { goto }`).

- Places are simpy.PriorityResource. Shifts and closed hours are modelled the SimPy way: at a drop
  in capacity (or a closing), a "staff away" process requests the missing places at top priority;
  it gets each one only when a patient gives it up, so nobody is interrupted and nobody starts
  until fewer places are busy than the new capacity; at the rise (or opening) it gives them back.
- Blocking: the patient requests its next place while it still holds the current one, and releases
  the current one only once granted (it travels holding the new one).
- Reneging: `yield request | timeout(max_wait)`, the SimPy idiom; a request not granted in time is
  cancelled.

Figures per replication (means over counted patients, utilisation over the window from the first
to the last counted arrival, as the simulator defines them), then the mean over replications with
its standard error and a 99% Student-t interval. Run: see README.md in this folder.
"""

import json
import math
import random
import sys
from pathlib import Path

import simpy
import yaml

DAY = 1440.0
WEEK = 7 * DAY
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TOP = -1_000_000  # priority of the "staff away" requests (SimPy: lower is served first)

# Student t quantiles t(0.995, df) for the 99% interval (df = replications - 1).
T995 = {9: 3.2498, 19: 2.8609, 29: 2.7564, 39: 2.7079}


def minutes(value):
    """A time of the format in minutes (the subset the twin scenarios use)."""
    if isinstance(value, (int, float)):
        return float(value)
    number, unit = value.split()
    return float(number) * {"s": 1 / 60, "min": 1, "h": 60, "d": DAY, "wk": WEEK}[unit]


def clock(text):
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def sampler(d, rng):
    """A time distribution: {mean} exponential, or a fixed time."""
    if isinstance(d, dict):
        mean = minutes(d["mean"])
        return lambda: rng.expovariate(1 / mean)
    value = minutes(d)
    return lambda: value


def weekly_spans(spans):
    """(start, end, value) minutes of the week for shifts / hours; wrapping spans are split."""
    out = []
    for frm, to, value, days in spans:
        length = to - frm if to > frm else DAY - frm + to
        for d in days:
            start = d * DAY + frm
            end = start + length
            if end <= WEEK:
                out.append((start, end, value))
            else:
                out.append((start, WEEK, value))
                out.append((0.0, end - WEEK, value))
    return sorted(out)


def value_at(pieces, t, fallback=0):
    u = t % WEEK
    for start, end, value in pieces:
        if start <= u < end:
            return value
    return fallback


def integral(pieces, a, b, fallback=0):
    """The step function's integral over [a, b], by walking its breakpoints."""
    points = sorted({p for s, e, _ in pieces for p in (s, e)} | {0.0, WEEK})
    total = 0.0
    t = a
    while t < b:
        base = math.floor(t / WEEK) * WEEK
        nxt = min((base + p for p in points if base + p > t), default=base + WEEK)
        nxt = min(nxt, b)
        total += value_at(pieces, t, fallback) * (nxt - t)
        t = nxt
    return total


class Place:
    """A microsystem's places, with what the figures need: who held a place when."""

    def __init__(self, env, spec):
        self.env = env
        self.id = spec["id"]
        cap = spec.get("capacity")
        hours = spec.get("hours")
        self.until_open = spec.get("off_hours_delay") == "until_open"
        if isinstance(cap, list):
            self.pieces = weekly_spans(
                [(clock(s["from"]), clock(s["to"]), s["n"], [DAYS.index(d) for d in s.get("days", DAYS)]) for s in cap]
            )
        else:
            self.pieces = [(0.0, WEEK, cap if cap is not None else math.inf)]
        top = max(v for _, _, v in self.pieces)
        self.unlimited = top == math.inf
        self.resource = None if self.unlimited else simpy.PriorityResource(env, capacity=int(top))
        self.top = top
        self.holds = []  # (granted, released) of the pathway's patients
        if hours is not None and self.until_open:
            open_pieces = weekly_spans(
                [(clock(hours["open"]), clock(hours["close"]), 1, [DAYS.index(d) for d in hours.get("days", DAYS)])]
            )
        else:
            open_pieces = [(0.0, WEEK, 1)]
        self.open_pieces = open_pieces
        if self.resource is not None:
            env.process(self.staff())

    def places_at(self, t):
        """Places a patient may start in at t: the shift's, or none while closed."""
        return value_at(self.pieces, t) if value_at(self.open_pieces, t) >= 1 else 0

    def staff(self):
        """Holds the places that are missing (shift drop, closing) with top-priority requests."""
        away = []
        t = 0.0
        while True:
            want = int(self.top - self.places_at(t))
            while len(away) > want:  # give places back (or withdraw requests not yet granted)
                req = away.pop()
                if req.triggered:
                    self.resource.release(req)
                else:
                    req.cancel()
            while len(away) < want:
                away.append(self.resource.request(priority=TOP))
            # The next change of either schedule.
            points = sorted({p for s, e, _ in self.pieces + self.open_pieces for p in (s, e)} | {WEEK})
            base = math.floor(t / WEEK) * WEEK
            nxt = min(base + p for p in points if base + p > t)
            yield self.env.timeout(nxt - t)
            t = nxt


class Twin:
    def __init__(self, scenario, rep, seed):
        self.s = scenario
        self.rng = random.Random(seed)
        self.env = simpy.Environment()
        self.places = {m["id"]: Place(self.env, m) for m in scenario["microsystems"]}
        self.ms = {m["id"]: m for m in scenario["microsystems"]}
        self.times = {m["id"]: sampler(m["time"], self.rng) for m in scenario["microsystems"]}
        self.handoffs = {(h["from"], h["to"]): sampler(h.get("time", 0), self.rng) for h in scenario.get("handoffs", [])}
        a = scenario["arrivals"]
        self.per_minute = a["per_day"] / DAY
        self.by_hour = a.get("by_hour", [1] * 24)
        self.by_day = a.get("by_day", [1] * 7)
        w = [d * h for d in self.by_day for h in self.by_hour]
        self.weights = [x / (sum(w) / len(w)) for x in w]
        self.warmup = minutes(a.get("warmup", 0))
        self.measured = scenario["patients"] // scenario["replications"]
        self.counted = 0
        self.finished = 0
        self.first = None
        self.last = None
        self.done = self.env.event()
        self.records = []  # per counted patient: a dict of what happened
        cls = scenario.get("classes", [{"id": "all", "share": 1}])
        self.classes = [(c["id"], c["share"], c.get("start", scenario["microsystems"][0]["id"])) for c in cls]

    def rate(self, t):
        u = t % WEEK
        return self.per_minute * self.weights[int(u // 60)]

    def arrivals(self):
        top = self.per_minute * max(self.weights)
        t = 0.0
        while True:
            t += self.rng.expovariate(top)
            if self.rng.random() * top >= self.rate(t):
                continue  # thinned out
            yield self.env.timeout(t - self.env.now)
            counted = t >= self.warmup and self.counted < self.measured
            if counted:
                self.counted += 1
                if self.first is None:
                    self.first = t
                if self.counted == self.measured:
                    self.last = t
            u = self.rng.random()
            acc = 0.0
            for cid, share, start in self.classes:
                acc += share
                if u < acc:
                    break
            rec = {"class": cid, "counted": counted, "start": t, "visits": {}}
            self.env.process(self.journey(rec, start))

    def next_of(self, m):
        routes = self.ms[m].get("next")
        if routes is None:
            ids = [x["id"] for x in self.s["microsystems"]]
            i = ids.index(m)
            return ids[i + 1] if i + 1 < len(ids) else None
        if not routes:
            return None
        u = self.rng.random()
        acc = 0.0
        for r in routes:
            acc += r.get("p", 1)
            if u < acc:
                return r["to"]
        return routes[-1]["to"]

    def request(self, m):
        place = self.places[m]
        if place.resource is None:
            return None
        return place.resource.request(priority=0)

    def journey(self, rec, m):
        env = self.env
        held = None  # a granted request for m, carried from a blocking microsystem
        while m is not None:
            spec = self.ms[m]
            place = self.places[m]
            visit = rec["visits"].setdefault(m, {})
            visit["arrive"] = env.now
            if held is not None:
                req, granted = held
                held = None
            else:
                req = self.request(m)
                if req is not None:
                    limit = spec.get("max_wait")
                    if limit is None:
                        yield req
                    else:
                        result = yield req | env.timeout(minutes(limit))
                        if req not in result:
                            req.cancel()
                            visit["wait"] = env.now - visit["arrive"]
                            visit["reneged"] = True
                            then = spec.get("then", "leave")
                            if then == "leave":
                                break
                            target = then["goto"]
                            yield env.timeout(self.handoffs.get((m, target), lambda: 0.0)())
                            m = target
                            continue
                granted = env.now
            visit["start"] = env.now
            visit["wait"] = env.now - visit["arrive"]
            yield env.timeout(self.times[m]())
            visit["end"] = env.now
            nxt = self.next_of(m)
            if spec.get("blocking") and nxt is not None:
                # Blocking after service: request the next place, keep this one until granted.
                ahead = self.request(nxt)
                if ahead is not None:
                    yield ahead
                    held = (ahead, env.now)
                visit["blocked"] = env.now - visit["end"]
            if req is not None:
                place.resource.release(req)
                place.holds.append((granted, env.now))
            if nxt is not None:
                yield env.timeout(self.handoffs.get((m, nxt), lambda: 0.0)())
            m = nxt
        rec["end"] = env.now
        if rec["counted"]:
            self.records.append(rec)
            self.finished += 1
            if self.finished == self.measured:
                self.done.succeed()

    def run(self):
        self.env.process(self.arrivals())
        self.env.run(until=self.done)
        return self.figures()

    def figures(self):
        out = {}
        window = self.last - self.first
        for m, place in self.places.items():
            visits = [r["visits"][m] for r in self.records if m in r["visits"]]
            if visits:
                out[f"wait.{m}"] = sum(v["wait"] for v in visits) / len(visits)
                if self.ms[m].get("max_wait") is not None:
                    out[f"reneged_share.{m}"] = sum(1 for v in visits if v.get("reneged")) / len(visits)
                if self.ms[m].get("blocking"):
                    # Over every visit whose stay ended (0 when not blocked), as the simulator counts.
                    ended = [v.get("blocked", 0.0) for v in visits if "end" in v]
                    out[f"blocked.{m}.mean"] = sum(ended) / len(ended)
                    out[f"blocked.{m}.share"] = sum(1 for b in ended if b > 0) / len(ended)
            if place.resource is not None:
                # Place-minutes held by the pathway's patients (a place held ahead during the
                # transfer from a blocking microsystem counts from its grant), over the window.
                busy = sum(max(0.0, min(b, self.last) - max(a, self.first)) for a, b in place.holds)
                out[f"utilization.{m}"] = busy / integral(place.pieces, self.first, self.last)
        for metric in self.s.get("metrics", []):
            out[f"metric.{metric['id']}"] = self.metric(metric)
        return out

    def metric(self, metric):
        classes = metric.get("classes")
        values = []
        for r in self.records:
            if classes is not None and r["class"] not in classes:
                continue
            a = self.milestone(r, metric["from"])
            b = self.milestone(r, metric["to"])
            if a is not None and b is not None and b >= a:
                values.append(b - a)
        return sum(values) / len(values)

    def milestone(self, r, text):
        if text == "journey.start":
            return r["start"]
        m, event = text.rsplit(".", 1)
        v = r["visits"].get(m)
        if v is None:
            return None
        return {"arrive": v.get("arrive"), "start": v.get("start"), "end": v.get("end")}[event]


def summarise(values):
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in values) / (n - 1))
    se = sd / math.sqrt(n)
    half = T995[n - 1] * se
    return {"mean": mean, "se": se, "lo": mean - half, "hi": mean + half, "replications": n}


def run_case(path):
    scenario = yaml.safe_load(Path(path).read_text())
    reps = scenario["replications"]
    per_rep = []
    for r in range(reps):
        per_rep.append(Twin(scenario, r, seed=20_000 + 100 * r + 7).run())
        print(f"  {Path(path).name}: replication {r + 1}/{reps}", file=sys.stderr)
    keys = sorted(per_rep[0])
    return {key: summarise([f[key] for f in per_rep]) for key in keys}


def main(argv):
    here = Path(__file__).parent
    files = [Path(a) for a in argv] or sorted((here / "scenarios").glob("*.yaml"))
    results = {}
    out = here / "results.json"
    if out.exists():
        results = json.loads(out.read_text())["cases"]
    for f in files:
        results[f.stem] = run_case(f)
    doc = {
        "generator": "test/twin/twin.py (SimPy " + simpy.__version__ + ", Python " + sys.version.split()[0] + ")",
        "interval": "mean over replications, standard error, 99% Student-t interval",
        "cases": results,
    }
    out.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
