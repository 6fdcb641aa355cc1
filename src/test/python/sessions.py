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


def spark_home():
    """pip's pyspark: a stock Spark distribution (bin/spark-submit, jars/)."""
    import pyspark

    return os.path.dirname(os.path.abspath(pyspark.__file__))


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ConnectServer:
    """A local Spark Connect server, started as Spark starts it (bin/spark-submit --class
    SparkConnectServer) with our jar on --jars, bound to 127.0.0.1; logs and the model cache's
    files under ``workdir``. ``conf`` adds server settings."""

    def __init__(self, workdir, conf=None):
        self.workdir = str(workdir)
        self.port = _free_port()
        self.conf = dict(conf or {})
        self.process = None

    def start(self, timeout=240):
        import subprocess
        import time

        tmp = os.path.join(self.workdir, "tmp")
        os.makedirs(tmp, exist_ok=True)
        conf = {"spark.connect.grpc.binding.address": "127.0.0.1",
                "spark.connect.grpc.binding.port": str(self.port),
                "spark.ui.enabled": "false",
                "spark.sql.shuffle.partitions": "2",
                "spark.driver.extraJavaOptions": "-Djava.io.tmpdir=" + tmp}
        conf.update(self.conf)
        cmd = [os.path.join(spark_home(), "bin", "spark-submit"), "--master", "local[2]",
               "--driver-memory", "1g", "--jars", jar()]
        for k, v in conf.items():
            cmd += ["--conf", "%s=%s" % (k, v)]
        cmd += ["--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
                "spark-internal"]
        env = dict(os.environ, SPARK_HOME=spark_home(), SPARK_LOCAL_IP="127.0.0.1")
        self.log = os.path.join(self.workdir, "server.log")
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + timeout
        while not self._listening():
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("the Spark Connect server did not start; see " + self.log)
            time.sleep(0.5)
        return "sc://127.0.0.1:%d" % self.port

    def _listening(self):
        import socket

        try:
            socket.create_connection(("127.0.0.1", self.port), 1).close()
            return True
        except OSError:
            return False

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except Exception:
                self.process.kill()
                self.process.wait(30)
