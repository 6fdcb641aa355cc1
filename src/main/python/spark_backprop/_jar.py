"""Where the spark-backprop jar is: for ``spark.jars`` / ``--jars``."""

import glob
import os
from typing import Optional

ENV = "SPARK_BACKPROP_JAR"
_HERE = os.path.dirname(os.path.abspath(__file__))


def jar_path() -> Optional[str]:
    """The path of the shaded spark-backprop jar, or None when none is found.

    Looked for, in order: ``$SPARK_BACKPROP_JAR``; a jar shipped in this package's ``jars/``
    folder (a wheel built with the jar copied there); and, when the package runs from the
    repository (``src/main/python``), the jar Maven built there
    (``mvn -B -DskipTests package`` -> ``target/spark-backprop-<version>.jar``).
    """
    env = os.environ.get(ENV)
    if env:
        if not os.path.isfile(env):
            raise FileNotFoundError("%s=%s: no such jar" % (ENV, env))
        return env
    candidates = sorted(glob.glob(os.path.join(_HERE, "jars", "spark-backprop-*.jar")))
    source_tree = os.path.normpath(os.path.join(_HERE, "..", "..", "..", ".."))
    repo_target = os.path.join(source_tree, "target")
    if os.path.isfile(os.path.join(source_tree, "pom.xml")):
        candidates += sorted(
            j for j in glob.glob(os.path.join(repo_target, "spark-backprop-*.jar"))
            if not os.path.basename(j).startswith("original-")
            and not j.endswith(("-sources.jar", "-javadoc.jar", "-tests.jar"))
        )
    return candidates[0] if candidates else None
