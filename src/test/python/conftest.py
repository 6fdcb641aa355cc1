"""Fixtures: one classic session (local[2], the jar on spark.jars) and small data."""

import math
import random

import pytest

import sessions


@pytest.fixture(scope="session")
def spark():
    s = sessions.classic_session()
    yield s
    s.stop()


def rows(n=120, seed=3):
    """(id, x1, x2, x3, label): label = sin(2 x1) + x2 x3 + small noise, fixed by seed."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        x1, x2, x3 = rnd.uniform(-1, 1), rnd.uniform(-1, 1), rnd.uniform(-1, 1)
        out.append((i, x1, x2, x3, math.sin(2 * x1) + x2 * x3 + rnd.gauss(0, 0.05)))
    return out


COLUMNS = ["id", "x1", "x2", "x3", "label"]


@pytest.fixture(scope="session")
def table(spark):
    """The rows as columns (for a Pipeline with a VectorAssembler)."""
    return spark.createDataFrame(rows(), COLUMNS).cache()


@pytest.fixture(scope="session")
def vectors(table):
    """The rows with a features vector column."""
    from pyspark.ml.feature import VectorAssembler

    return VectorAssembler(inputCols=["x1", "x2", "x3"], outputCol="features") \
        .transform(table).select("id", "features", "label").cache()
