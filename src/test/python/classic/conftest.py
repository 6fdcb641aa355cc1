"""Fixtures: one classic session (local[2], the jar on spark.jars) and small data."""

import pytest

import sessions
from data import COLUMNS, rows


@pytest.fixture(scope="session")
def spark():
    s = sessions.classic_session()
    yield s
    s.stop()


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
