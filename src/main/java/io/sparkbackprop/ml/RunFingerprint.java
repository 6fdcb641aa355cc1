package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.spark.BlockData;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;

/**
 * What identifies a training run: every Param as training resolved it (kept in the summary's
 * provenance), and from those the fingerprint a resumed run must match (the Params that change
 * the arithmetic, the rows, the partitions and the data's hash).
 */
final class RunFingerprint {
  /** Params that do not change the arithmetic: left out of the fingerprint resume checks. */
  private static final Set<String> NOT_ARITHMETIC = Set.of("maxIter", "checkpointDir",
      "checkpointInterval", "resume", "predictionCol", "storageLevel", "featuresCol", "labelCol",
      "validationIndicatorCol");

  private RunFingerprint() {}

  /** Every Param with a value, by name, JSON-encoded; optional ones as training resolved them. */
  static SortedMap<String, String> resolvedParams(MultilayerPerceptronRegressor est, Plan plan) {
    SortedMap<String, String> out = new TreeMap<>();
    for (ParamPair<?> p : scala.jdk.javaapi.CollectionConverters.asJava(
        est.extractParamMap().toSeq())) {
      out.put(p.param().name(), encode(p));
    }
    out.put("solver", est.solver().jsonEncode(est.getSolver()));
    out.put("stepSize", est.stepSize().jsonEncode(est.getStepSize()));
    out.put("blockSize", est.blockSize().jsonEncode(est.getBlockSize()));
    out.put("miniBatchFraction", est.miniBatchFraction().jsonEncode(est.getMiniBatchFraction()));
    out.put("splitSeed", est.splitSeed().jsonEncode(est.getSplitSeed()));
    out.put("tol", est.tol().jsonEncode(est.getTol()));
    out.put("regParam", est.regParam().jsonEncode(plan.settings().l2()));
    out.put("nIterNoChange", est.nIterNoChange().jsonEncode(est.getNIterNoChange()));
    out.put("network", est.solver().jsonEncode(plan.network().toString()));
    return Collections.unmodifiableSortedMap(out);
  }

  @SuppressWarnings("unchecked")
  private static String encode(ParamPair<?> p) {
    return ((Param<Object>) p.param()).jsonEncode(p.value());
  }

  /** The settings that change the arithmetic, and the data's size and hash: "k=v;k=v;...". */
  static String of(Map<String, String> params, Network net, BlockData.Loaded d) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> {
      if (!NOT_ARITHMETIC.contains(k)) {
        sb.append(k).append('=').append(v).append(';');
      }
    });
    sb.append("rows=").append(d.trainingRows()).append('+').append(d.validationRows())
        .append(";partitions=").append(d.training().getNumPartitions())
        .append(";data=").append(Long.toHexString(d.fingerprint()));
    return sb.toString();
  }
}
