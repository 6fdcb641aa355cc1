"""The classic and the Connect suites run in separate processes (pytest src/test/python/classic,
then pytest src/test/python/connect, as jobs/python-test does): a Spark Connect session turns the
whole Python process remote (pyspark's is_remote() reads the environment), which classic objects
cannot share."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_collection_modifyitems(config, items):
    suites = {os.path.basename(os.path.dirname(str(item.fspath))) for item in items}
    if {"classic", "connect"} <= suites:
        raise pytest.UsageError("run src/test/python/classic and src/test/python/connect in "
                                "separate pytest runs (jobs/python-test does)")
