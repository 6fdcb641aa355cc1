"""Classic PySpark (py4j): Python fit == Java fit bit for bit, metrics, predict, summary."""

import math

import pytest
from pyspark.ml.evaluation import RegressionEvaluator
from pyspark.ml.linalg import Vectors

from spark_backprop import MultilayerPerceptronRegressor, TrainingSummary

SETTINGS = dict(layers=[3, 5, 1], maxIter=15, seed=11, regParam=1e-3, stepSize=0.2)


def java_fit(spark, df, **params):
    """The Java estimator, driven through py4j on the same DataFrame and Params."""
    jvm = spark._jvm
    est = jvm.io.sparkbackprop.ml.MultilayerPerceptronRegressor()
    layers = spark.sparkContext._gateway.new_array(jvm.int, len(params["layers"]))
    for i, w in enumerate(params["layers"]):
        layers[i] = w
    est.setLayers(layers).setMaxIter(params["maxIter"]).setSeed(params["seed"]) \
        .setRegParam(float(params["regParam"]))
    if "stepSize" in params:
        est.setStepSize(float(params["stepSize"]))
    if "solver" in params:
        est.setSolver(params["solver"])
    return est.fit(df._jdf)


@pytest.mark.parametrize("solver", ["gd", "l-bfgs"])
def test_python_fit_equals_java_fit_bit_for_bit(spark, vectors, solver):
    settings = dict(SETTINGS, solver=solver)
    if solver == "l-bfgs":
        del settings["stepSize"]  # l-bfgs takes steps of its own and refuses one
    py = MultilayerPerceptronRegressor(**settings).fit(vectors)
    java = java_fit(spark, vectors, **settings)
    assert list(py.weights) == list(java.weights()), "weights of the Python and the Java fit"
    assert py.summary.objectiveHistory == list(java.summary().objectiveHistory())


@pytest.fixture(scope="module")
def model(vectors):
    return MultilayerPerceptronRegressor(**SETTINGS).fit(vectors)


def test_regression_evaluator_on_transform_equals_the_models_metrics(model, vectors):
    predicted = model.transform(vectors)
    mine = model.evaluate(vectors)
    trained = model.summary.training
    for metric, value in (("rmse", mine.rmse), ("mae", mine.mae), ("r2", mine.r2)):
        spark_value = RegressionEvaluator(metricName=metric).evaluate(predicted)
        assert value == pytest.approx(spark_value, rel=1e-9), metric
        assert getattr(trained, metric) == pytest.approx(spark_value, rel=1e-9), metric
    assert mine.rows == vectors.count() and mine.skippedRows == 0


def test_predict_one_vector_equals_transform(model, vectors):
    row = model.transform(vectors).orderBy("id").first()
    assert model.predict(row.features) == pytest.approx(row.prediction, rel=1e-12, abs=1e-12)
    assert model.predict(Vectors.dense([0.0, 0.0, 0.0])) == pytest.approx(
        model.transform(vectors.sparkSession.createDataFrame(
            [(Vectors.dense([0.0, 0.0, 0.0]),)], ["features"])).first().prediction,
        rel=1e-12, abs=1e-12)


def test_the_model_shows_its_network(model):
    assert model.numFeatures == 3
    assert model.getLayers() == [3, 5, 1]
    assert len(model.weights) == (3 + 1) * 5 + (5 + 1) * 1
    assert model.uid.startswith("MultilayerPerceptronRegressor")
    copy = model.copy()
    assert (copy.uid, list(copy.weights)) == (model.uid, list(model.weights))


def test_summary_is_a_python_object_with_history_and_provenance(model, vectors):
    import pyspark

    s = model.summary
    assert isinstance(s, TrainingSummary) and model.hasSummary
    assert s.totalIterations == len(s.objectiveHistory) == 15
    assert s.objectiveHistory[-1] < s.objectiveHistory[0]
    assert s.stopReason and s.validation is None and s.validationHistory == []
    assert s.trainingRows == vectors.count()
    assert s.provenance["spark"] == pyspark.__version__
    assert s.params["maxIter"] == 15 and s.params["layers"] == [3, 5, 1]


def test_validation_history_when_validation_rows_are_held_out(vectors):
    m = MultilayerPerceptronRegressor(layers=[3, 4, 1], maxIter=6, evalEvery=2,
                                      validationFraction=0.25).fit(vectors)
    s = m.summary
    assert s.validation is not None and s.validationRows > 0
    assert s.trainingRows + s.validationRows == vectors.count()
    assert len(s.validationHistory) == 6
    computed = [v for v in s.validationHistory if not math.isnan(v)]
    assert 0 < len(computed) < 6, s.validationHistory
