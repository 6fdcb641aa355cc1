"""spark-backprop for PySpark: MultilayerPerceptronRegressor and its model.

The Java classes are ``io.sparkbackprop.ml.*``, and saved models and pipelines name them so.
PySpark turns a saved class name into a Python module by replacing ``org.apache.spark`` with
``pyspark``, which leaves ``io.sparkbackprop.ml``; Python's ``io`` is the standard library's
module. So importing this package registers ``io.sparkbackprop.ml`` in ``sys.modules`` as an
alias of :mod:`spark_backprop.regression` (Python finds a dotted name there without importing
its parents): ``import spark_backprop`` before loading a pipeline that holds our stage.
"""

import sys

from spark_backprop import regression as _regression
from spark_backprop._jar import jar_path
from spark_backprop.regression import (
    JAVA_PACKAGE,
    MultilayerPerceptronRegressionModel,
    MultilayerPerceptronRegressor,
)
from spark_backprop.summary import Iteration, RegressionMetrics, TrainingSummary

sys.modules.setdefault(JAVA_PACKAGE, _regression)

__all__ = [
    "MultilayerPerceptronRegressor",
    "MultilayerPerceptronRegressionModel",
    "TrainingSummary",
    "RegressionMetrics",
    "Iteration",
    "jar_path",
]
