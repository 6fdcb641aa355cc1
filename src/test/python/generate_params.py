"""Writes spark_backprop/_params.py from the Java estimator's Params (names, docs, defaults, types).

The Python Params are generated, never copied by hand: ``test_params.py`` runs :func:`render`
against the jar on the classpath and fails when the committed file differs (a Param added,
renamed, re-documented or given another default in Java). To refresh the file after such a
change, with the jar built (``mvn -B -DskipTests package``)::

    python src/test/python/generate_params.py

Only the JVM is asked (through py4j); nothing here knows a Param by name but the three columns
PySpark's ``_PredictorParams`` already declares.
"""

import os
import sys

# Java Param class -> (PySpark type converter, the Python type named in the setters' docs)
CONVERTERS = {
    "org.apache.spark.ml.param.IntParam": "toInt",
    "org.apache.spark.ml.param.LongParam": "toInt",
    "org.apache.spark.ml.param.DoubleParam": "toFloat",
    "org.apache.spark.ml.param.FloatParam": "toFloat",
    "org.apache.spark.ml.param.BooleanParam": "toBoolean",
    "org.apache.spark.ml.param.IntArrayParam": "toListInt",
    "org.apache.spark.ml.param.DoubleArrayParam": "toListFloat",
    "org.apache.spark.ml.param.StringArrayParam": "toListString",
}
# A generic Param<T> by its value class (Spark 4 records it; Spark's own column Params have none
# and are strings).
DATA_CLASSES = {
    None: "toString",
    "java.lang.String": "toString",
    "org.apache.spark.ml.linalg.Vector": "toVector",
}
ESTIMATOR = "io.sparkbackprop.ml.MultilayerPerceptronRegressor"
TARGET = os.path.join(os.path.dirname(__file__), "..", "..", "main", "python", "spark_backprop",
                      "_params.py")


def converter(java_param):
    """The PySpark TypeConverters name for a Java Param (KeyError: a type we do not map yet)."""
    cls = java_param.getClass().getName()
    if cls == "org.apache.spark.ml.param.Param":
        data = java_param.dataClass()
        return DATA_CLASSES[None if data is None else data.getName()]
    return CONVERTERS[cls]


def java_params(spark):
    """[(name, doc, converter, has_default, default)] of a fresh Java estimator, by name."""
    from pyspark.ml.common import _java2py

    jvm_obj = spark._jvm
    for part in ESTIMATOR.split("."):
        jvm_obj = getattr(jvm_obj, part)
    est = jvm_obj()
    out = []
    for p in est.params():
        d = est.getDefault(p)
        default = _java2py(spark.sparkContext, d.get()) if d.isDefined() else None
        out.append((p.name(), p.doc(), converter(p), d.isDefined(), default))
    return sorted(out)


def _cap(name):
    return name[0].upper() + name[1:]


def render(params):
    """The source of _params.py for these Params."""
    lines = [
        '"""The Params of MultilayerPerceptronRegressor and its model: GENERATED from the Java',
        "estimator by src/test/python/generate_params.py (test_params.py fails when they drift).",
        'Do not edit by hand."""',
        "",
        "from typing import Any, Dict",
        "",
        "from pyspark import keyword_only",
        "from pyspark.ml.param import Param, Params, TypeConverters",
        "from pyspark.ml.regression import _PredictorParams",
        "",
        "# Java's defaults, the same in Python (classic PySpark pushes Python's into Java).",
        "DEFAULTS: Dict[str, Any] = {",
    ]
    lines += ["    %r: %r," % (n, v) for n, _, _, has, v in params if has]
    lines += [
        "}",
        "",
        "",
        "class _MultilayerPerceptronRegressorParams(_PredictorParams):",
        '    """Params of MultilayerPerceptronRegressor and MultilayerPerceptronRegressionModel."""',
        "",
    ]
    for n, doc, conv, _, _ in params:
        lines += [
            "    %s: Param = Param(" % n,
            "        Params._dummy(),",
            "        %r," % n,
            "        %r," % doc,
            "        typeConverter=TypeConverters.%s," % conv,
            "    )",
        ]
    lines += [
        "",
        "    def __init__(self, *args: Any):",
        "        super().__init__(*args)",
        "        self._setDefault(**DEFAULTS)",
        "",
    ]
    for n, _, _, _, _ in params:
        lines += [
            "    def get%s(self) -> Any:" % _cap(n),
            '        """The value of %s set, else its default (KeyError: neither)."""' % n,
            "        return self.getOrDefault(self.%s)" % n,
            "",
        ]
    lines += [
        "",
        "class _MultilayerPerceptronRegressorSetters(Params):",
        '    """setParams and a setter per Param, for the estimator."""',
        "",
        "    @keyword_only",
        "    def setParams(",
        "        self,",
        "        *,",
    ]
    lines += ["        %s: Any = %r," % (n, v if has else None) for n, _, _, has, v in params]
    lines += [
        "    ) -> Any:",
        '        """Sets the Params given by keyword; returns self."""',
        "        kwargs = self._input_kwargs",
        "        return self._set(**kwargs)",
        "",
    ]
    for n, _, _, _, _ in params:
        lines += [
            "    def set%s(self, value: Any) -> Any:" % _cap(n),
            '        """Sets %s; returns self."""' % n,
            "        return self._set(%s=value)" % n,
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main():
    sys.path.insert(0, os.path.dirname(__file__))
    from sessions import classic_session  # noqa: E402

    spark = classic_session()
    with open(TARGET, "w", encoding="utf-8") as f:
        f.write(render(java_params(spark)))
    spark.stop()
    print("wrote", os.path.normpath(TARGET))


if __name__ == "__main__":
    main()
