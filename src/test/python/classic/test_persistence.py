"""Saved in Python, loaded in Java, and the reverse: the bare model, a PipelineModel and a
CrossValidatorModel with our stage, predicting bit for bit the same."""

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import RegressionEvaluator
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.tuning import CrossValidator, CrossValidatorModel, ParamGridBuilder
from pyspark.sql import DataFrame

from spark_backprop import MultilayerPerceptronRegressionModel, MultilayerPerceptronRegressor


def predictions(df):
    """The prediction column, in id order, from a Python or a Java DataFrame."""
    if not isinstance(df, DataFrame):
        from pyspark.sql import SparkSession

        df = DataFrame(df, SparkSession.getActiveSession())
    return [r.prediction for r in df.orderBy("id").select("prediction").collect()]


def mlp(**kw):
    return MultilayerPerceptronRegressor(**dict(dict(layers=[3, 4, 1], maxIter=8, seed=5), **kw))


def pipeline():
    return Pipeline(stages=[VectorAssembler(inputCols=["x1", "x2", "x3"], outputCol="features"),
                            mlp()])


def test_bare_model_python_to_java_and_back(spark, vectors, tmp_path):
    model = mlp().fit(vectors)
    expected = predictions(model.transform(vectors))
    model.write().save(str(tmp_path / "py"))
    java = spark._jvm.io.sparkbackprop.ml.MultilayerPerceptronRegressionModel.load(
        str(tmp_path / "py"))
    assert predictions(java.transform(vectors._jdf)) == expected
    assert java.uid() == model.uid

    java.write().save(str(tmp_path / "java"))
    loaded = MultilayerPerceptronRegressionModel.load(str(tmp_path / "java"))
    assert isinstance(loaded, MultilayerPerceptronRegressionModel)
    assert predictions(loaded.transform(vectors)) == expected
    assert loaded.uid == model.uid and loaded.getLayers() == [3, 4, 1]
    assert loaded.summary.objectiveHistory == model.summary.objectiveHistory


def test_pipeline_model_python_to_java_and_back(spark, table, tmp_path):
    model = pipeline().fit(table)
    expected = predictions(model.transform(table))
    model.write().save(str(tmp_path / "py"))
    java = spark._jvm.org.apache.spark.ml.PipelineModel.load(str(tmp_path / "py"))
    assert predictions(java.transform(table._jdf)) == expected

    java_fit = pipeline()._to_java().fit(table._jdf)  # fit and saved by Java's own classes
    java_fit.write().save(str(tmp_path / "java"))
    loaded = PipelineModel.load(str(tmp_path / "java"))
    assert isinstance(loaded.stages[-1], MultilayerPerceptronRegressionModel)
    assert predictions(loaded.transform(table)) == predictions(java_fit.transform(table._jdf))
    assert predictions(loaded.transform(table)) == expected, "same data, Params and seed"


def cross_validator():
    est = mlp()
    grid = ParamGridBuilder().addGrid(est.regParam, [0.0, 0.1]).build()
    return CrossValidator(estimator=est, estimatorParamMaps=grid, numFolds=2, seed=1,
                          evaluator=RegressionEvaluator())


def test_cross_validator_model_python_to_java_and_back(spark, vectors, tmp_path):
    model = cross_validator().fit(vectors)
    assert isinstance(model.bestModel, MultilayerPerceptronRegressionModel)
    assert len(model.avgMetrics) == 2
    expected = predictions(model.transform(vectors))
    model.write().save(str(tmp_path / "py"))
    java = spark._jvm.org.apache.spark.ml.tuning.CrossValidatorModel.load(str(tmp_path / "py"))
    assert predictions(java.transform(vectors._jdf)) == expected

    java_fit = cross_validator()._to_java().fit(vectors._jdf)
    java_fit.write().save(str(tmp_path / "java"))
    loaded = CrossValidatorModel.load(str(tmp_path / "java"))
    assert isinstance(loaded.bestModel, MultilayerPerceptronRegressionModel)
    assert predictions(loaded.transform(vectors)) == predictions(java_fit.transform(vectors._jdf))
    assert list(loaded.avgMetrics) == list(java_fit.avgMetrics())
