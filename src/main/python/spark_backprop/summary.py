"""How a model was trained, as plain Python objects (the "training" object of model.json)."""

import math
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


def _num(v: Any) -> float:
    """model.json writes NaN and infinities as null."""
    return math.nan if v is None else float(v)


@dataclass(frozen=True)
class RegressionMetrics:
    """RMSE, MAE and R² in the label's units, over ``rows`` rows (``skippedRows`` left out)."""

    rows: int
    skippedRows: int
    rmse: float
    mae: float
    r2: float

    @staticmethod
    def _from_json(o: Optional[Dict[str, Any]]) -> Optional["RegressionMetrics"]:
        if not isinstance(o, dict):
            return None
        return RegressionMetrics(int(o.get("rows", 0)), int(o.get("skippedRows", 0)),
                                 _num(o.get("rmse")), _num(o.get("mae")), _num(o.get("r2")))

    @staticmethod
    def _from_java(m: Any) -> "RegressionMetrics":
        return RegressionMetrics(m.rows(), m.skippedRows(), m.rmse(), m.mae(), m.r2())


@dataclass(frozen=True)
class Iteration:
    """One line of the history, at the weights the iteration started from."""

    iteration: int
    objective: float
    gradientNorm: float
    seconds: float
    validationRmse: float


@dataclass(frozen=True)
class TrainingSummary:
    """How a model was trained: Java's ``TrainingSummary`` with the same names.

    ``provenance`` holds the software and machine (project, spark, java, master, blas,
    elementWise, createdAt, resumedAfter) and ``params`` every Param as training resolved it.
    """

    history: List[Iteration]
    totalIterations: int
    stopReason: str
    bestIteration: int
    finalObjective: float
    training: Optional[RegressionMetrics]
    validation: Optional[RegressionMetrics]
    trainingRows: int
    validationRows: int
    invalidRows: int
    seconds: float
    cachedBytes: int
    warnings: List[str]
    params: Dict[str, Any]
    provenance: Dict[str, Any] = field(default_factory=dict)

    @property
    def objectiveHistory(self) -> List[float]:
        """J per iteration, as MLlib's objectiveHistory (NaN where a mini-batch was empty)."""
        return [it.objective for it in self.history]

    @property
    def validationHistory(self) -> List[float]:
        """Validation RMSE per iteration, NaN where not computed; empty without validation."""
        if self.validation is None:
            return []
        return [it.validationRmse for it in self.history]

    @property
    def gradientNormHistory(self) -> List[float]:
        """Gradient norm per iteration."""
        return [it.gradientNorm for it in self.history]

    @staticmethod
    def _from_json(o: Dict[str, Any]) -> "TrainingSummary":
        m = o.get("metrics") or {}
        history = [Iteration(int(h.get("iteration", 0)), _num(h.get("objective")),
                             _num(h.get("gradientNorm")), _num(h.get("seconds")),
                             _num(h.get("validationRmse"))) for h in o.get("history", [])]
        return TrainingSummary(
            history=history, totalIterations=int(o.get("iterationsRun", 0)),
            stopReason=o.get("stopReason", ""), bestIteration=int(o.get("bestIteration", 0)),
            finalObjective=_num(o.get("finalObjective")),
            training=RegressionMetrics._from_json(m.get("train")),
            validation=RegressionMetrics._from_json(m.get("validation")),
            trainingRows=int(o.get("rows", 0)), validationRows=int(o.get("validationRows", 0)),
            invalidRows=int(o.get("droppedRows", 0)), seconds=_num(o.get("seconds")),
            cachedBytes=int(o.get("cachedBytes", 0)), warnings=list(o.get("warnings", [])),
            params=dict(o.get("params", {})), provenance=dict(o.get("provenance", {})))
