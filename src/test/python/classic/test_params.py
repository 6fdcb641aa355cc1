"""No drift between the Python Params and the Java estimator's: names, docs, defaults, types."""

import os
import unittest

import pytest
from py4j.java_collections import JavaArray
from pyspark.ml.common import _java2py
from pyspark.testing.mlutils import check_params

import generate_params  # noqa: E402 (src/test/python is on sys.path)
from spark_backprop import MultilayerPerceptronRegressionModel, MultilayerPerceptronRegressor


def test_generated_file_is_what_the_java_estimator_gives(spark):
    with open(generate_params.TARGET, encoding="utf-8") as f:
        committed = f.read()
    expected = generate_params.render(generate_params.java_params(spark))
    assert committed == expected, (
        "spark_backprop/_params.py differs from the Java estimator's Params: run "
        "`python src/test/python/generate_params.py` (with the jar built) and commit the result")


def _java_estimator(spark):
    return spark._jvm.io.sparkbackprop.ml.MultilayerPerceptronRegressor()


def test_every_python_param_is_a_fresh_java_estimators(spark):
    # Against a FRESH Java estimator: PySpark's _to_java pushes Python's defaults into Java, so a
    # Java object that went through it can no longer show a wrong Python default.
    java = _java_estimator(spark)
    py = MultilayerPerceptronRegressor()
    java_by_name = {p.name(): p for p in java.params()}
    assert sorted(p.name for p in py.params) == sorted(java_by_name), "Param names"
    for p in py.params:
        jp = java_by_name[p.name]
        assert p.doc == jp.doc(), "doc of %s" % p.name
        assert p.typeConverter.__name__ == generate_params.converter(jp), \
            "type converter of %s" % p.name
        assert py.hasDefault(p) == java.hasDefault(jp), "has a default: %s" % p.name
        if py.hasDefault(p):
            java_default = _java2py(spark.sparkContext, java.getDefault(jp).get())
            assert py.getOrDefault(p) == java_default, "default of %s" % p.name
            assert type(py.getOrDefault(p)) is type(java_default), "default type of %s" % p.name


class _Oracle(unittest.TestCase):
    def runTest(self):
        pass


def test_pyspark_check_params_oracle(spark, vectors):
    oracle = _Oracle()
    oracle.sc = spark.sparkContext
    check_params(oracle, MultilayerPerceptronRegressor(layers=[3, 2, 1]))
    model = MultilayerPerceptronRegressor(layers=[3, 2, 1], maxIter=2).fit(vectors)
    check_params(oracle, model)


def test_a_list_of_ints_reaches_java_as_an_int_array(spark):
    java = MultilayerPerceptronRegressor(layers=[3, 4, 1])._to_java()
    value = java.getOrDefault(java.layers())
    assert isinstance(value, JavaArray), "layers in Java: %r" % (value,)
    assert list(java.getLayers()) == [3, 4, 1]


def test_an_int_for_a_double_param_and_a_long_seed_are_accepted(spark):
    java = MultilayerPerceptronRegressor(stepSize=1, regParam=0, seed=2**40)._to_java()
    assert java.getStepSize() == 1.0 and isinstance(java.getStepSize(), float)
    assert java.getRegParam() == 0.0
    assert java.getSeed() == 2**40


def test_keyword_only_constructor_and_set_params():
    with pytest.raises(TypeError):
        MultilayerPerceptronRegressor([3, 1])
    with pytest.raises(TypeError):
        MultilayerPerceptronRegressor(layer=[3, 1])
    mlp = MultilayerPerceptronRegressor(maxIter=7)
    assert mlp.setParams(solver="adam", regParam=0.5) is mlp
    assert (mlp.getMaxIter(), mlp.getSolver(), mlp.getRegParam()) == (7, "adam", 0.5)
    assert mlp.setLayers([2, 1]).getLayers() == [2, 1]
    assert not mlp.isDefined(mlp.stepSize), "stepSize has no default (its rule is the solver's)"


def test_a_value_java_refuses_names_the_param(spark, vectors):
    mlp = MultilayerPerceptronRegressor(layers=[3, 1], maxIter=0)
    with pytest.raises(Exception, match="maxIter"):
        mlp.fit(vectors)


def test_model_has_the_estimators_params_and_setters(spark):
    java_model = spark._jvm.io.sparkbackprop.ml.MultilayerPerceptronRegressionModel()
    model = MultilayerPerceptronRegressionModel(java_model)
    assert sorted(p.name for p in model.params) == sorted(p.name() for p in java_model.params())
    assert model.setLabelCol("y").getLabelCol() == "y"
    assert model.setBlockSize(8).getBlockSize() == 8
    assert model.setHandleInvalid("skip").getHandleInvalid() == "skip"
