"""A PySpark driver for bin/spark-submit: trains a Pipeline of VectorAssembler and
MultilayerPerceptronRegressor on a Parquet table, saves it, loads it back, and predicts.

    $SPARK_HOME/bin/spark-submit --master 'local[2]' --jars spark-backprop-<version>.jar \\
        train_and_predict.py data/diabetes.parquet /tmp/diabetes-pipeline

Needs spark_backprop importable by the driver's Python (pip install it, or PYTHONPATH) and that
Python named by PYSPARK_PYTHON when it is not the python3 on PATH. Prints one JSON line.
"""

import json
import sys

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import VectorAssembler
from pyspark.sql import SparkSession

from spark_backprop import MultilayerPerceptronRegressor


def main(data, out):
    spark = SparkSession.builder.appName("spark-backprop train_and_predict").getOrCreate()
    table = spark.read.parquet(data)
    features = [c for c in table.columns if c != "label"]
    pipeline = Pipeline(stages=[
        VectorAssembler(inputCols=features, outputCol="features"),
        MultilayerPerceptronRegressor(layers=[len(features), 16, 1], solver="l-bfgs",
                                      maxIter=20, regParam=1e-4, seed=7),
    ])
    model = pipeline.fit(table)
    model.write().overwrite().save(out)
    loaded = PipelineModel.load(out)
    before = [r.prediction for r in model.transform(table).select("prediction").collect()]
    after = [r.prediction for r in loaded.transform(table).select("prediction").collect()]
    summary = loaded.stages[-1].summary
    print(json.dumps({"rows": len(after), "same_after_load": before == after,
                      "train_rmse": summary.training.rmse, "iterations": summary.totalIterations,
                      "first_predictions": after[:3]}))
    spark.stop()
    return 0 if before == after else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
