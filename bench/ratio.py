"""Side-by-side ratios: run A and B interleaved, pair by pair, and take the median pair ratio.

Absolute times on a shared 2-core machine drift with whatever else runs; a ratio of two runs made
seconds apart cancels most of that drift, the alternating order (AB, BA, AB, …) cancels the rest
of a trend, and the median ignores a pair spoiled by a burst of outside load.
"""

import re
import statistics
import subprocess
from dataclasses import dataclass, field

MIN_PAIRS = 5


@dataclass
class Pairs:
    """The A and B values of each pair and their ratio A ÷ B."""

    a: list = field(default_factory=list)
    b: list = field(default_factory=list)

    @property
    def ratios(self):
        return [a / b for a, b in zip(self.a, self.b, strict=True)]

    @property
    def median(self):
        return statistics.median(self.ratios)

    def as_dict(self):
        return {
            "a": [round(value, 6) for value in self.a],
            "b": [round(value, 6) for value in self.b],
            "ratios": [round(ratio, 4) for ratio in self.ratios],
            "median": round(self.median, 4),
        }


def interleave(run_a, run_b, pairs):
    """Call run_a and run_b ``pairs`` times each, alternating which goes first."""
    if pairs < MIN_PAIRS:
        raise ValueError(f"a ratio needs at least {MIN_PAIRS} pairs, not {pairs}")
    result = Pairs()
    for index in range(pairs):
        if index % 2 == 0:
            a = run_a()
            b = run_b()
        else:
            b = run_b()
            a = run_a()
        result.a.append(a)
        result.b.append(b)
    return result


class WrkError(Exception):
    """wrk failed or saw errors; the message says which."""


REQUESTS_PER_SECOND = re.compile(r"^Requests/sec:\s+([0-9.]+)", re.MULTILINE)
BAD_RESPONSES = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
SOCKET_ERRORS = re.compile(r"Socket errors:.*")


def wrk(url, seconds, connections=8, headers=()):
    """Return requests per second for ``url`` (on 127.0.0.1 only), from one bounded wrk run."""
    if not url.startswith("http://127.0.0.1:"):
        raise WrkError(f"refusing to load anything but 127.0.0.1: {url}")
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    for header in headers:
        command += ["-H", header]
    try:
        completed = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=False
        )
    except FileNotFoundError:
        raise WrkError("wrk is not installed (apt-get install wrk)") from None
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        raise WrkError(f"wrk exited {completed.returncode}: {output.strip()}")
    bad = BAD_RESPONSES.search(output)
    if bad and int(bad.group(1)):
        raise WrkError(f"{bad.group(1)} responses were not 2xx/3xx for {url}")
    errors = SOCKET_ERRORS.search(output)
    if errors:
        raise WrkError(f"{errors.group(0)} for {url}")
    match = REQUESTS_PER_SECOND.search(output)
    if not match:
        raise WrkError(f"no Requests/sec in wrk's output: {output.strip()}")
    if float(match.group(1)) == 0:
        raise WrkError(f"no request to {url} completed within {seconds} s")
    return float(match.group(1))
