"""Small data the tests share, fixed by a seed."""

import math
import random

COLUMNS = ["id", "x1", "x2", "x3", "label"]


def rows(n=120, seed=3):
    """(id, x1, x2, x3, label): label = sin(2 x1) + x2 x3 + small noise, fixed by seed."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        x1, x2, x3 = rnd.uniform(-1, 1), rnd.uniform(-1, 1), rnd.uniform(-1, 1)
        out.append((i, x1, x2, x3, math.sin(2 * x1) + x2 * x3 + rnd.gauss(0, 0.05)))
    return out
