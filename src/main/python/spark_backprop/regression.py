"""MultilayerPerceptronRegressor and its model, as PySpark's own regressors are written."""

import json
import types
from typing import Any, Dict, Optional

from pyspark.ml.linalg import DenseVector, Vector
from pyspark.ml.regression import _JavaRegressionModel, _JavaRegressor
from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable, MLReader, MLWriter
from pyspark.sql import DataFrame
from pyspark.sql.utils import is_remote

from spark_backprop._params import (
    _MultilayerPerceptronRegressorParams,
    _MultilayerPerceptronRegressorSetters,
)
from spark_backprop.summary import RegressionMetrics, TrainingSummary

#: The Java package of the classes below, as saved metadata names them.
JAVA_PACKAGE = "io.sparkbackprop.ml"

_NOT_ON_CONNECT = (
    "%s is not reachable on Spark Connect (the server lets a client call only predict, "
    "numFeatures and toString on a third-party model); it is read from a saved model instead: "
    "model.write().save(path), then MultilayerPerceptronRegressionModel.load(path).%s"
)


class _JavaReader(JavaMLReader):
    """Classic mode: the Java class by its real name (PySpark would derive org.apache.spark.*)."""

    @classmethod
    def _java_loader_class(cls, clazz: Any) -> str:
        return JAVA_PACKAGE + "." + clazz.__name__


class _RemoteReader(MLReader):
    """Spark Connect: PySpark's RemoteMLReader, asked for the Java class by its real name."""

    def __init__(self, clazz: Any):
        super().__init__()
        self._clazz = clazz

    def load(self, path: str) -> Any:
        from pyspark.ml.connect.readwrite import RemoteMLReader
        from pyspark.sql.connect.session import SparkSession

        # RemoteMLReader names the Java class after the Python class's module and name: hand it
        # a stand-in subclass whose module is the Java package. It builds the instance from the
        # class that module holds (the sys.modules alias spark_backprop registers): ours.
        named = types.new_class(self._clazz.__name__, (self._clazz,),
                                exec_body=lambda ns: ns.update(__module__=JAVA_PACKAGE))
        instance = RemoteMLReader.loadInstance(named, path, SparkSession.getActiveSession())
        if isinstance(instance, MultilayerPerceptronRegressionModel):
            instance._saved_path = path
        return instance


class _RemoteModelWriter(MLWriter):
    """Spark Connect: PySpark's RemoteMLWriter, remembering where the model went (its summary
    and weights are read back from there)."""

    def __init__(self, model: "MultilayerPerceptronRegressionModel"):
        super().__init__()
        self._model = model

    def save(self, path: str) -> None:
        from pyspark.ml.connect.readwrite import RemoteMLWriter
        from pyspark.sql.connect.session import SparkSession

        RemoteMLWriter.saveInstance(self._model, path, SparkSession.getActiveSession(),
                                    self.shouldOverwrite, self.optionMap)
        self._model._saved_path = path


class _Readable(JavaMLReadable):
    @classmethod
    def read(cls) -> MLReader:
        """An MLReader for this class, classic or Spark Connect."""
        return _RemoteReader(cls) if is_remote() else _JavaReader(cls)


class MultilayerPerceptronRegressor(
    _JavaRegressor["MultilayerPerceptronRegressionModel"],
    _MultilayerPerceptronRegressorParams,
    _MultilayerPerceptronRegressorSetters,
    JavaMLWritable,
    _Readable,
):
    """A feed-forward neural network regressor trained by backprop and distributed gradient
    descent (or L-BFGS) on squared error: spark-backprop's Java estimator
    ``io.sparkbackprop.ml.MultilayerPerceptronRegressor``. Every Param, doc and default is the
    Java estimator's (see the Param docs, or ``explainParams()``).

    >>> mlp = MultilayerPerceptronRegressor(layers=[10, 16, 1], solver="l-bfgs", maxIter=50)
    >>> model = mlp.fit(df)                                      # doctest: +SKIP
    """

    def __init__(self, **kwargs: Any):
        """Keyword arguments as :meth:`setParams` (every Param by name)."""
        super().__init__()
        self._java_obj = self._new_java_obj(JAVA_PACKAGE + ".MultilayerPerceptronRegressor",
                                            self.uid)
        self.setParams(**kwargs)

    def _create_model(self, java_model: Any) -> "MultilayerPerceptronRegressionModel":
        return MultilayerPerceptronRegressionModel(java_model)


class MultilayerPerceptronRegressionModel(
    _JavaRegressionModel[Vector],
    _MultilayerPerceptronRegressorParams,
    JavaMLWritable,
    _Readable,
):
    """A trained network: ``transform`` appends predictions, ``predict`` scores one vector,
    ``evaluate`` measures RMSE, MAE and R², ``summary`` tells how it was trained, ``weights``
    holds the flat weights (the layout of ``initialWeights``), ``getLayers()`` the widths."""

    _saved_path: Optional[str] = None

    def write(self) -> MLWriter:
        """An MLWriter for this model, classic or Spark Connect."""
        return _RemoteModelWriter(self) if is_remote() else super().write()

    def setLabelCol(self, value: str) -> "MultilayerPerceptronRegressionModel":
        """The label column evaluate reads."""
        return self._set(labelCol=value)

    def setHandleInvalid(self, value: str) -> "MultilayerPerceptronRegressionModel":
        """error or skip: what evaluate does with null, NaN or infinite values."""
        return self._set(handleInvalid=value)

    def setBlockSize(self, value: int) -> "MultilayerPerceptronRegressionModel":
        """Rows per block of transform and evaluate."""
        return self._set(blockSize=value)

    def _saved_json(self, what: str) -> Dict[str, Any]:
        """model.json of the directory this model was loaded from (Spark Connect)."""
        if self._saved_path is None:
            raise RuntimeError(_NOT_ON_CONNECT % (what, what))
        from pyspark.sql.connect.session import SparkSession

        spark = SparkSession.getActiveSession()
        text = spark.read.text(self._saved_path.rstrip("/") + "/model.json",
                               wholetext=True).first()[0]
        return json.loads(text)

    @property
    def weights(self) -> DenseVector:
        """The flat weights, in the layout of ``initialWeights`` and model.json's flatWeights."""
        if is_remote():
            return DenseVector(self._saved_json("weights")["flatWeights"])
        return self._call_java("weightsVector")

    @property
    def hasSummary(self) -> bool:
        """Whether the model knows how it was trained (on Connect: when loaded from a path)."""
        if is_remote():
            if self._saved_path is None:
                return False
            return "history" in (self._saved_json("summary").get("training") or {})
        return self._java_obj.hasSummary()

    @property
    def summary(self) -> TrainingSummary:
        """How the model was trained (history, stop reason, metrics, provenance).

        Raises RuntimeError when there is none, or, on Spark Connect, for a model not loaded
        from a path (Connect does not let a client call the Java summary).
        """
        if is_remote():
            training = self._saved_json("summary").get("training")
            if not training or "history" not in training:
                raise RuntimeError("this model has no training summary")
            return TrainingSummary._from_json(training)
        if not self._java_obj.hasSummary():
            raise RuntimeError("this model has no training summary")
        return TrainingSummary._from_json(json.loads(self._java_obj.summary().toJson().toString()))

    def evaluate(self, dataset: DataFrame) -> RegressionMetrics:
        """RMSE, MAE and R² on labelled data (featuresCol, labelCol), in one pass.

        Not on Spark Connect: use RegressionEvaluator on ``transform`` there.
        """
        if is_remote():
            raise RuntimeError("evaluate is not reachable on Spark Connect (the server lets a "
                               "client call only predict, numFeatures and toString on a "
                               "third-party model): use pyspark.ml.evaluation.RegressionEvaluator"
                               " on model.transform(df)")
        self._transfer_params_to_java()
        return RegressionMetrics._from_java(self._java_obj.evaluate(dataset._jdf))
