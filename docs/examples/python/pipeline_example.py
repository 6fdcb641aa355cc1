"""spark-backprop from PySpark, as a user's program outside the project would use it: a Pipeline
of VectorAssembler and MultilayerPerceptronRegressor fit, saved, loaded back (in Python, and on a
classic session in Java too), then a CrossValidator; on a classic or a Spark Connect session.

    pip install 'pyspark[connect]==4.2.0' <repository>/src/main/python
    export SPARK_BACKPROP_JAR=<repository>/target/spark-backprop-0.1.0-SNAPSHOT.jar
    python pipeline_example.py data/diabetes.parquet /tmp/example            # classic
    python pipeline_example.py data/diabetes.parquet /tmp/example --connect  # Spark Connect

--connect starts a local Spark Connect server with the jar (SparkSession.builder.remote
("local[2]")); give --remote sc://host:port for a server of your own started with --jars.
Prints one JSON line; exits 1 when a loaded model predicts differently.
"""

import argparse
import json
import os
import sys

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import RegressionEvaluator
from pyspark.ml.feature import VectorAssembler
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder
from pyspark.sql import SparkSession

import spark_backprop
from spark_backprop import MultilayerPerceptronRegressionModel, MultilayerPerceptronRegressor


def session(connect, remote):
    jar = spark_backprop.jar_path()
    if jar is None:
        raise SystemExit("set SPARK_BACKPROP_JAR to the spark-backprop jar "
                         "(mvn -B -DskipTests package builds it)")
    if remote:
        return SparkSession.builder.remote(remote).getOrCreate()
    builder = SparkSession.builder.config("spark.jars", jar).config("spark.ui.enabled", "false")
    if connect:
        return builder.remote("local[2]").getOrCreate()
    return builder.master("local[2]").getOrCreate()


def predictions(df):
    return [r.prediction for r in df.select("prediction").collect()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--connect", action="store_true")
    ap.add_argument("--remote")
    a = ap.parse_args()
    spark = session(a.connect, a.remote)
    table = spark.read.parquet(a.data)
    features = [c for c in table.columns if c != "label"]
    assembler = VectorAssembler(inputCols=features, outputCol="features")
    mlp = MultilayerPerceptronRegressor(layers=[len(features), 16, 1], solver="l-bfgs",
                                        maxIter=30, regParam=1e-4, seed=7)
    model = Pipeline(stages=[assembler, mlp]).fit(table)
    expected = predictions(model.transform(table))
    path = os.path.join(a.out, "pipeline")
    model.write().overwrite().save(path)
    loaded = PipelineModel.load(path)
    same = predictions(loaded.transform(table)) == expected
    result = {"session": "connect" if (a.connect or a.remote) else "classic",
              "same_after_load": same}
    stage = loaded.stages[-1]
    assert isinstance(stage, MultilayerPerceptronRegressionModel)
    result["summary"] = {"iterations": stage.summary.totalIterations,
                         "stopReason": stage.summary.stopReason,
                         "train_rmse": stage.summary.training.rmse}
    if result["session"] == "classic":  # the same directory loaded by Spark's Java classes
        from pyspark.sql import DataFrame

        java = spark._jvm.org.apache.spark.ml.PipelineModel.load(path).transform(table._jdf)
        result["same_in_java"] = predictions(DataFrame(java, spark)) == expected
        same = same and result["same_in_java"]

    grid = ParamGridBuilder().addGrid(mlp.regParam, [1e-4, 1e-2]).build()
    cv = CrossValidator(estimator=Pipeline(stages=[assembler, mlp]), estimatorParamMaps=grid,
                        evaluator=RegressionEvaluator(), numFolds=2, seed=1)
    cv_model = cv.fit(table)
    result["cv_rmse"] = list(cv_model.avgMetrics)
    cv_model.write().overwrite().save(os.path.join(a.out, "cv"))
    print(json.dumps(result))
    spark.stop()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
