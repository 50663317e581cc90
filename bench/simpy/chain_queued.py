"""The benchmark's queued model in SimPy: the reference for handoff-sim's speed.

The same model as bench/scenarios/chain-queued.yaml, written the way a SimPy user would write it:
seven microsystems in a chain, each a `simpy.Resource` with 3 places and exponential service
(mean 30 min); between consecutive ones a fixed 10-min handoff; Poisson arrivals at 100 a day.
Each microsystem visit draws one failure mode (p 0.05, caught with probability 0.3; a defect
multiplies the 30-day risk 0.05 by 1.1), each handoff one (p 0.1, never caught). Journeys that start
in the first week are simulated but not counted; patients keep arriving until every counted journey
has ended; `replications` independent runs share the patients. It counts what handoff-sim's run
summary reports for this model: defect-free journeys, visits and defects, waits and utilisation
per microsystem, expected mortality, the s1-arrive → s7-end interval and its share within 10 h.

    python3 bench/simpy/chain_queued.py [patients] [replications] [seed]

prints one JSON line: wall seconds (simulation only, after imports) and the figures, so the bench
can check that both simulators ran the same model (their figures agree within noise).
"""

import json
import random
import sys
import time

import simpy

STAGES = 7
CAPACITY = 3
SERVICE_MEAN = 30.0
HANDOFF_TIME = 10.0
PER_MINUTE = 100 / 1440
WARMUP = 7 * 1440.0
MS_P, MS_DETECT, MS_HARM = 0.05, 0.3, 1.1
HO_P = 0.1
BASE_RISK = 0.05
TARGET = 600.0


class Replication:
    def __init__(self, counted, rng):
        self.env = simpy.Environment()
        self.rng = rng
        self.units = [simpy.Resource(self.env, capacity=CAPACITY) for _ in range(STAGES)]
        self.counted = counted
        self.seen = 0
        self.active = 0
        self.all_done = self.env.event()
        self.patients = 0
        self.defect_free = 0
        self.risk = 0.0
        self.wait_sum = [0.0] * STAGES
        self.defects = [0] * STAGES
        self.metric_sum = 0.0
        self.within = 0
        self.first = None
        self.busy_first = None
        self.window = 0.0
        self.busy = [0.0] * STAGES
        self.in_use = [0] * STAGES
        self.busy_area = [0.0] * STAGES
        self.last_change = [0.0] * STAGES

    def account(self, m, change):
        """Integrates busy places over time for utilisation (SimPy keeps no such statistic)."""
        now = self.env.now
        self.busy_area[m] += self.in_use[m] * (now - self.last_change[m])
        self.last_change[m] = now
        self.in_use[m] += change

    def busy_time(self, m):
        return self.busy_area[m] + self.in_use[m] * (self.env.now - self.last_change[m])

    def source(self):
        while self.seen < self.counted or self.active > 0:
            yield self.env.timeout(self.rng.expovariate(PER_MINUTE))
            counted = self.env.now >= WARMUP and self.seen < self.counted
            if counted:
                self.seen += 1
                self.active += 1
                if self.seen == 1:
                    self.first = self.env.now
                    self.busy_first = [self.busy_time(m) for m in range(STAGES)]
                if self.seen == self.counted:
                    self.window = self.env.now - self.first
                    self.busy = [self.busy_time(m) - self.busy_first[m] for m in range(STAGES)]
            self.env.process(self.journey(counted))

    def journey(self, counted):
        rng = self.rng
        start = self.env.now
        harm = 1.0
        defects = 0
        for m in range(STAGES):
            unit = self.units[m]
            arrived = self.env.now
            with unit.request() as req:
                yield req
                self.account(m, +1)
                if counted:
                    self.wait_sum[m] += self.env.now - arrived
                yield self.env.timeout(rng.expovariate(1 / SERVICE_MEAN))
                if rng.random() < MS_P and rng.random() >= MS_DETECT:
                    defects += 1
                    harm *= MS_HARM
                    if counted:
                        self.defects[m] += 1
                self.account(m, -1)
            if m + 1 < STAGES:
                yield self.env.timeout(HANDOFF_TIME)
                if rng.random() < HO_P:
                    defects += 1
        if counted:
            self.patients += 1
            self.defect_free += defects == 0
            self.risk += min(BASE_RISK * harm, 1.0)
            interval = self.env.now - start
            self.metric_sum += interval
            self.within += interval <= TARGET
            self.active -= 1
            if self.active == 0 and self.seen == self.counted:
                self.all_done.succeed()

    def run(self):
        self.env.process(self.source())
        self.env.run(until=self.all_done)


def main():
    patients = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    replications = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    began = time.perf_counter()
    total = {"patients": 0, "defect_free": 0, "risk": 0.0, "metric": 0.0, "within": 0}
    waits = [0.0] * STAGES
    busy = [0.0] * STAGES
    window = 0.0
    for r in range(replications):
        n = patients // replications + (1 if r < patients % replications else 0)
        rep = Replication(n, random.Random(seed * 1_000_003 + r))
        rep.run()
        total["patients"] += rep.patients
        total["defect_free"] += rep.defect_free
        total["risk"] += rep.risk
        total["metric"] += rep.metric_sum
        total["within"] += rep.within
        window += rep.window
        for m in range(STAGES):
            waits[m] += rep.wait_sum[m]
            busy[m] += rep.busy[m]
    wall = time.perf_counter() - began
    n = total["patients"]
    print(json.dumps({
        "wall_s": wall,
        "patients": n,
        "reliability": total["defect_free"] / n,
        "wait_mean": [w / n for w in waits],
        "utilization": [b / (CAPACITY * window) for b in busy],
        "mortality_per_1000": 1000 * total["risk"] / n,
        "metric_mean": total["metric"] / n,
        "within_target": total["within"] / n,
    }))


if __name__ == "__main__":
    main()
