"""Spark sessions for the tests: classic (local[2], the jar on spark.jars) and Spark Connect."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
PACKAGE_ROOT = os.path.join(REPO, "src", "main", "python")
sys.path.insert(0, PACKAGE_ROOT)


def _jar_module():
    """spark_backprop/_jar.py alone (generate_params.py runs before the package can import)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_sbp_jar", os.path.join(PACKAGE_ROOT, "spark_backprop", "_jar.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def jar():
    """The shaded jar (SPARK_BACKPROP_JAR, else target/ of this repository): the tests need it."""
    path = _jar_module().jar_path()
    if path is None:
        raise RuntimeError("no spark-backprop jar: build it with mvn -B -DskipTests package, "
                           "or set SPARK_BACKPROP_JAR")
    return path


def _quiet(builder):
    return (builder.config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.memory", "1g"))


def classic_session():
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = _quiet(SparkSession.builder.master("local[2]").appName("spark-backprop-pytest")
                   .config("spark.jars", jar())).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
