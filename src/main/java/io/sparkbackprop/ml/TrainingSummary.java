package io.sparkbackprop.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.optim.Iteration;
import io.sparkbackprop.optim.TrainingLoop;
import io.sparkbackprop.spark.BlockData;
import java.io.Serializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a model was trained. It travels with the model: {@code model.json} holds it (its
 * "training" object), so a loaded model has it too.
 *
 * @param history one line per iteration, at the weights the iteration started from
 * @param totalIterations iterations run
 * @param stopReason why training stopped, in words
 * @param bestIteration the iteration whose weights early stopping kept (0: the last weights)
 * @param finalObjective J at the final weights (mean squared error of the standardized label,
 *     plus the L2 penalty)
 * @param training metrics of the final model on the training rows, label units (several
 *     outputs: each output's and their means, {@link RegressionMetrics#outputs})
 * @param validation metrics on the validation rows (null without validation)
 * @param trainingRows training rows
 * @param validationRows validation rows (0 without validation)
 * @param invalidRows rows left out for a null, NaN or infinite value
 * @param seconds wall time of the iterations
 * @param cachedBytes bytes the cached training blocks took
 * @param warnings what the data gave cause to say (e.g. a constant column)
 * @param provenance the settings and the software it was trained with
 * @param lbfgsHistoryResets how often L-BFGS threw its curvature history away after a failed
 *     line search and started afresh from the same point (each takes an iteration of the
 *     history, with the same objective); 0 for the other solvers
 */
public record TrainingSummary(List<Iteration> history, int totalIterations, String stopReason,
    int bestIteration, double finalObjective, RegressionMetrics training,
    RegressionMetrics validation, long trainingRows, long validationRows, long invalidRows,
    double seconds, long cachedBytes, List<String> warnings, Provenance provenance,
    int lbfgsHistoryResets) implements Serializable {

  /** The summary of loop result {@code r} over {@code data}; the row counts from the data. */
  static TrainingSummary of(TrainingLoop.Result r, double finalObjective,
      RegressionMetrics training, RegressionMetrics validation, BlockData.Loaded data,
      double seconds, long cachedBytes, Provenance provenance) {
    return new TrainingSummary(r.history(), r.iterations(), r.stopReason(), r.bestIteration(),
        finalObjective, training, validation, data.trainingRows(), data.validationRows(),
        data.invalidRows(), seconds, cachedBytes, data.warnings(), provenance,
        r.lbfgsHistoryResets());
  }

  /**
   * The settings and the software of a fit.
   *
   * @param params every Param of the estimator as training resolved it, name to value encoded
   *     as JSON (as Spark's metadata does), and the network
   * @param project spark-backprop's version
   * @param spark Spark's version
   * @param java the JVM's version
   * @param master the Spark master
   * @param blas the BLAS implementation on the driver
   * @param elementWise the element-wise implementation on the driver
   * @param createdAt when training ended, ISO-8601
   * @param resumedAfter the checkpoint's iteration when the run was resumed (0: not resumed)
   */
  public record Provenance(Map<String, String> params, String project, String spark, String java,
      String master, String blas, String elementWise, String createdAt, int resumedAfter)
      implements Serializable {}

  /** J per iteration, as MLlib's objectiveHistory (NaN where a mini-batch was empty). */
  public double[] objectiveHistory() {
    return history.stream().mapToDouble(Iteration::objective).toArray();
  }

  /** Validation RMSE per iteration, NaN where not computed; empty without validation. */
  public double[] validationHistory() {
    return validation == null ? new double[0]
        : history.stream().mapToDouble(Iteration::validationRmse).toArray();
  }

  /** Gradient norm per iteration. */
  public double[] gradientNormHistory() {
    return history.stream().mapToDouble(Iteration::gradientNorm).toArray();
  }

  // ---- JSON (the "training" object of model.json) ----

  /** This summary as JSON; NaN is written as null. */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    ObjectNode params = o.putObject("params");
    provenance.params().forEach((k, v) -> params.set(k, parse(v)));
    o.put("objective", "J(w) = (1/n) sum (y - yhat)^2 over the training rows (standardized"
        + " label when standardizeLabel) + regParam * sum of squared weights, biases excluded");
    o.put("rows", trainingRows);
    o.put("validationRows", validationRows);
    o.put("droppedRows", invalidRows);
    o.put("iterationsRun", totalIterations);
    o.put("stopReason", stopReason);
    o.put("bestIteration", bestIteration);
    o.put("lbfgsHistoryResets", lbfgsHistoryResets);
    num(o, "finalObjective", finalObjective);
    ObjectNode m = o.putObject("metrics");
    m.put("units", "label units: RMSE = sqrt(mean (y - yhat)^2), MAE = mean |y - yhat|,"
        + " R2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2");
    metrics(m.putObject("train"), training);
    if (validation != null) {
      metrics(m.putObject("validation"), validation);
    }
    num(o, "seconds", seconds);
    o.put("cachedBytes", cachedBytes);
    ArrayNode w = o.putArray("warnings");
    warnings.forEach(w::add);
    ObjectNode p = o.putObject("provenance");
    p.put("project", provenance.project());
    p.put("spark", provenance.spark());
    p.put("java", provenance.java());
    p.put("master", provenance.master());
    p.put("blas", provenance.blas());
    p.put("elementWise", provenance.elementWise());
    p.put("createdAt", provenance.createdAt());
    p.put("resumedAfter", provenance.resumedAfter());
    ArrayNode h = o.putArray("history");
    for (Iteration it : history) {
      ObjectNode line = h.addObject();
      line.put("iteration", it.iteration());
      num(line, "objective", it.objective());
      num(line, "gradientNorm", it.gradientNorm());
      num(line, "seconds", it.seconds());
      num(line, "validationRmse", it.validationRmse());
    }
    return o;
  }

  /** The summary in {@code o}, or null when it is not one (e.g. a model.json of version 0.1). */
  public static TrainingSummary fromJson(JsonNode o) {
    if (o == null || !o.isObject() || !o.has("history") || !o.has("params")) {
      return null;
    }
    List<Iteration> history = new ArrayList<>();
    for (JsonNode line : o.get("history")) {
      history.add(new Iteration(line.path("iteration").asInt(), num(line.get("objective")),
          num(line.get("gradientNorm")), num(line.get("seconds")),
          num(line.get("validationRmse"))));
    }
    Map<String, String> params = new LinkedHashMap<>();
    o.get("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().toString()));
    List<String> warnings = new ArrayList<>();
    o.path("warnings").forEach(n -> warnings.add(n.asText()));
    JsonNode p = o.path("provenance");
    JsonNode m = o.path("metrics");
    return new TrainingSummary(List.copyOf(history), o.path("iterationsRun").asInt(),
        o.path("stopReason").asText(), o.path("bestIteration").asInt(),
        num(o.get("finalObjective")), metrics(m.get("train")), metrics(m.get("validation")),
        o.path("rows").asLong(), o.path("validationRows").asLong(),
        o.path("droppedRows").asLong(), num(o.get("seconds")), o.path("cachedBytes").asLong(),
        List.copyOf(warnings), new Provenance(Collections.unmodifiableMap(params), p.path("project").asText(),
            p.path("spark").asText(), p.path("java").asText(), p.path("master").asText(),
            p.path("blas").asText(), p.path("elementWise").asText(),
            p.path("createdAt").asText(), p.path("resumedAfter").asInt()),
        o.path("lbfgsHistoryResets").asInt());
  }

  /** A Param's JSON encoding as a tree (a bare string when it is not JSON). */
  private static JsonNode parse(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (IOException e) {
      return JsonNodeFactory.instance.textNode(json);
    }
  }

  private static void metrics(ObjectNode o, RegressionMetrics m) {
    o.put("rows", m.rows());
    o.put("skippedRows", m.skippedRows());
    num(o, "rmse", m.rmse());
    num(o, "mae", m.mae());
    num(o, "r2", m.r2());
    if (!m.outputs().isEmpty()) {
      ArrayNode per = o.putArray("outputs");
      m.outputs().forEach(q -> metrics(per.addObject(), q));
    }
  }

  private static RegressionMetrics metrics(JsonNode o) {
    if (o == null || !o.isObject()) {
      return null;
    }
    List<RegressionMetrics> per = new ArrayList<>();
    o.path("outputs").forEach(q -> per.add(metrics(q)));
    return new RegressionMetrics(o.path("rows").asLong(), o.path("skippedRows").asLong(),
        num(o.get("rmse")), num(o.get("mae")),
        num(o.get("r2")), per);
  }

  private static void num(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) {
      o.put(name, v);
    } else {
      o.putNull(name);
    }
  }

  private static double num(JsonNode n) {
    return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
  }
}
