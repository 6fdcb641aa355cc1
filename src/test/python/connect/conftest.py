"""Fixtures: a local Spark Connect server with our jar (a process of its own), a client session
on it, and small data."""

import pytest

import sessions
from data import COLUMNS, rows

# Spark 4.1+'s model cache offloads models above this many bytes in memory per session to the
# driver's disk (saveToLocal) and reads them back when used (loadFromLocal): 1 byte sends every
# model there, so that each transform below goes through our local writer and reader.
CACHE_LIMIT = {"spark.connect.session.connectML.mlCache.memoryControl.maxInMemorySize": "1"}


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    s = sessions.ConnectServer(tmp_path_factory.mktemp("connect-server"), CACHE_LIMIT)
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def spark(server):
    from pyspark.sql import SparkSession

    s = SparkSession.builder.remote("sc://127.0.0.1:%d" % server.port).getOrCreate()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def table(spark):
    return spark.createDataFrame(rows(), COLUMNS)


@pytest.fixture(scope="session")
def vectors(table):
    from pyspark.ml.feature import VectorAssembler

    return VectorAssembler(inputCols=["x1", "x2", "x3"], outputCol="features") \
        .transform(table).select("id", "features", "label")
