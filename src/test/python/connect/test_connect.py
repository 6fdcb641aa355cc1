"""The same Python classes on a Spark Connect session (a local server with our jar): fit,
transform, predict, save, load, Pipeline, CrossValidator; what Connect refuses, refused clearly."""

import glob
import os

import pytest
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import RegressionEvaluator
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.linalg import Vectors
from pyspark.ml.tuning import CrossValidator, CrossValidatorModel, ParamGridBuilder
from pyspark.sql.utils import is_remote

from spark_backprop import MultilayerPerceptronRegressionModel, MultilayerPerceptronRegressor


def predictions(df):
    return [r.prediction for r in df.orderBy("id").select("prediction").collect()]


def mlp(**kw):
    return MultilayerPerceptronRegressor(**dict(dict(layers=[3, 4, 1], maxIter=8, seed=5), **kw))


@pytest.fixture(scope="module")
def fitted(spark, vectors, tmp_path_factory):
    """A model fit on Connect, and the directory it was saved to."""
    assert is_remote(), "these tests run on a Spark Connect session"
    model = mlp(validationFraction=0.25).fit(vectors)
    path = str(tmp_path_factory.mktemp("connect") / "model")
    model.write().save(path)
    return model, path


def test_fit_transform_and_predict(fitted, vectors):
    model, _ = fitted
    assert isinstance(model, MultilayerPerceptronRegressionModel)
    assert model.numFeatures == 3 and model.getLayers() == [3, 4, 1]
    rows = model.transform(vectors).orderBy("id").limit(5).collect()
    for r in rows:
        assert model.predict(r.features) == pytest.approx(r.prediction, rel=1e-12, abs=1e-12)
    assert model.predict(Vectors.dense([0.5, -0.5, 0.25])) == model.predict(
        Vectors.dense([0.5, -0.5, 0.25]))


def test_the_summary_and_weights_come_back_with_the_saved_model(fitted, vectors):
    model, path = fitted
    loaded = MultilayerPerceptronRegressionModel.load(path)
    for m in (model, loaded):  # the saved instance remembers its path; the loaded one too
        s = m.summary
        assert m.hasSummary and s.totalIterations == len(s.objectiveHistory) == 8
        assert len(s.validationHistory) == 8 and s.validationRows > 0
        assert len(m.weights) == (3 + 1) * 4 + (4 + 1)
    assert predictions(loaded.transform(vectors)) == predictions(model.transform(vectors))
    assert loaded.uid == model.uid


def test_training_metrics_equal_regression_evaluator(vectors, tmp_path):
    model = mlp().fit(vectors)  # no validation rows: the summary's metrics cover every row
    model.write().save(str(tmp_path / "model"))
    predicted = model.transform(vectors)
    trained = model.summary.training
    for metric in ("rmse", "mae", "r2"):
        value = RegressionEvaluator(metricName=metric).evaluate(predicted)
        assert getattr(trained, metric) == pytest.approx(value, rel=1e-9), metric


def test_what_connect_refuses_is_refused_plainly(vectors):
    model = mlp().fit(vectors)  # never saved
    with pytest.raises(RuntimeError, match="model.write\\(\\).save"):
        model.summary
    with pytest.raises(RuntimeError, match="model.write\\(\\).save"):
        model.weights
    assert not model.hasSummary
    with pytest.raises(RuntimeError, match="RegressionEvaluator"):
        model.evaluate(vectors)
    # The server's allow-list itself: a model method other than predict/numFeatures/toString.
    with pytest.raises(Exception, match="ATTRIBUTE_NOT_ALLOWED"):
        model._call_java("weightsVector")


def test_pipeline_fit_save_load(table, tmp_path):
    pipe = Pipeline(stages=[VectorAssembler(inputCols=["x1", "x2", "x3"], outputCol="features"),
                            mlp()])
    model = pipe.fit(table)
    expected = predictions(model.transform(table))
    model.write().save(str(tmp_path / "pm"))
    loaded = PipelineModel.load(str(tmp_path / "pm"))
    assert isinstance(loaded.stages[-1], MultilayerPerceptronRegressionModel)
    assert predictions(loaded.transform(table)) == expected
    assert loaded.stages[-1].summary.totalIterations == 8
    pipe.write().save(str(tmp_path / "p"))
    again = Pipeline.load(str(tmp_path / "p")).fit(table)
    assert predictions(again.transform(table)) == expected, "same data, Params and seed"


def test_estimator_save_load(tmp_path):
    est = mlp(solver="adam", regParam=0.01)
    est.write().save(str(tmp_path / "est"))
    loaded = MultilayerPerceptronRegressor.load(str(tmp_path / "est"))
    assert isinstance(loaded, MultilayerPerceptronRegressor) and loaded.uid == est.uid
    assert (loaded.getSolver(), loaded.getRegParam(), loaded.getLayers()) == ("adam", 0.01,
                                                                             [3, 4, 1])


def test_cross_validator_fit_save_load(vectors, tmp_path):
    est = mlp()
    grid = ParamGridBuilder().addGrid(est.regParam, [0.0, 0.1]).build()
    cv = CrossValidator(estimator=est, estimatorParamMaps=grid, numFolds=2, seed=1,
                        evaluator=RegressionEvaluator())
    model = cv.fit(vectors)
    assert isinstance(model.bestModel, MultilayerPerceptronRegressionModel)
    assert len(model.avgMetrics) == 2
    expected = predictions(model.transform(vectors))
    model.write().save(str(tmp_path / "cvm"))
    loaded = CrossValidatorModel.load(str(tmp_path / "cvm"))
    assert isinstance(loaded.bestModel, MultilayerPerceptronRegressionModel)
    assert predictions(loaded.transform(vectors)) == expected
    assert list(loaded.avgMetrics) == list(model.avgMetrics)


def test_the_model_cache_went_through_our_local_writer(server, fitted, vectors):
    # CACHE_LIMIT sends every model to the server's disk; transform then reads it back
    # (loadFromLocal). Our writer's local layout: metadata as one file, and model.json.
    model, _ = fitted
    assert len(predictions(model.transform(vectors))) == vectors.count()
    cached = glob.glob(os.path.join(server.workdir, "tmp", "spark_connect_model_cache", "*", "*",
                                    "model.json"))
    assert cached, "no model.json in the server's model cache"
    assert os.path.isfile(os.path.join(os.path.dirname(cached[0]), "metadata"))
