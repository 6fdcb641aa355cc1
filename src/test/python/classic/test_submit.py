"""pip's pyspark as a stock Spark distribution: its bin/spark-submit runs the README's
spark-submit line as written (local paths for the hdfs:// ones), and a Python driver."""

import json
import os
import re
import shlex
import subprocess

import pytest
from pyspark.ml import PipelineModel
from pyspark.sql import DataFrame

import sessions

DIABETES = os.path.join(sessions.REPO, "data", "diabetes.parquet")


def spark_submit(args, cwd, timeout=900):
    env = dict(os.environ, SPARK_HOME=sessions.spark_home(), SPARK_LOCAL_IP="127.0.0.1",
               PYSPARK_PYTHON=os.environ.get("PYSPARK_PYTHON", __import__("sys").executable),
               PYTHONPATH=sessions.PACKAGE_ROOT)
    cmd = [os.path.join(sessions.spark_home(), "bin", "spark-submit")] + args
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def readme_spark_submit():
    """The README's spark-submit command (the block that runs io.sparkbackprop.cli.Main)."""
    with open(os.path.join(sessions.REPO, "README.md"), encoding="utf-8") as f:
        text = f.read()
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            if line.strip().startswith("spark-submit") and "io.sparkbackprop.cli.Main" in line:
                return shlex.split(line)
    raise AssertionError("README.md has no spark-submit line for io.sparkbackprop.cli.Main")


def test_the_readmes_spark_submit_line_runs(spark, tmp_path):
    args = readme_spark_submit()
    assert args[0] == "spark-submit"
    jar = next(a for a in args if a.endswith(".jar"))
    assert os.path.isfile(os.path.join(sessions.REPO, jar)), \
        "the README's jar %s is not what mvn -B -DskipTests package builds" % jar
    local = {"--input": DIABETES, "--model": str(tmp_path / "model")}
    args = [local[args[i - 1]] if a.startswith("hdfs://") and args[i - 1] in local else a
            for i, a in enumerate(args)]
    assert not any(a.startswith("hdfs://") for a in args), "an hdfs:// path left: %s" % args
    # As written, but for one option added at the end: 20 iterations instead of the default 500
    # (training length is not what this test is about; 500 iterations of 10-64-64-1 take minutes).
    args += ["--iterations", "20"]
    done = spark_submit(args[1:], cwd=sessions.REPO)
    assert done.returncode == 0, "spark-submit exited %d:\n%s" % (done.returncode,
                                                                   done.stderr[-3000:])
    # The model it wrote loads in PySpark and predicts the label's scale on the same table.
    from spark_backprop import MultilayerPerceptronRegressionModel

    model = MultilayerPerceptronRegressionModel.load(str(tmp_path / "model"))
    assert model.numFeatures == 10 and model.getLayers() == [10, 64, 64, 1]
    assert model.summary.trainingRows == 442 and model.summary.totalIterations == 20


def test_a_python_driver_trains_saves_and_predicts(spark, tmp_path):
    script = os.path.join(sessions.REPO, "docs", "examples", "python", "train_and_predict.py")
    out = str(tmp_path / "pipeline")
    done = spark_submit(["--master", "local[2]", "--jars", sessions.jar(),
                         "--conf", "spark.ui.enabled=false", script, DIABETES, out],
                        cwd=str(tmp_path))
    assert done.returncode == 0, "the driver exited %d:\n%s" % (done.returncode,
                                                                done.stderr[-3000:])
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rows"] == 442 and result["same_after_load"] is True
    assert result["iterations"] >= 1
    # What the driver saved predicts the same in this process, in Python and in Java.
    table = spark.read.parquet(DIABETES)
    py = PipelineModel.load(out).transform(table).select("prediction").collect()
    assert [r.prediction for r in py[:3]] == result["first_predictions"]
    java = spark._jvm.org.apache.spark.ml.PipelineModel.load(out).transform(table._jdf)
    assert [r.prediction for r in DataFrame(java, spark).select("prediction").collect()] == \
        [r.prediction for r in py]


@pytest.fixture(autouse=True)
def _jar_is_built():
    sessions.jar()
