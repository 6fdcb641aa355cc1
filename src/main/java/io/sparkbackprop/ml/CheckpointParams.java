package io.sparkbackprop.ml;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;

/** Checkpoints of a fit, and resuming from them. */
public interface CheckpointParams extends ParamTable.Owner {
  default Param<String> checkpointDir() {
    return table().stringParam("checkpointDir", null, "a path", s -> !s.isEmpty(), "directory"
        + " (any Hadoop path: hdfs://, s3a://, file:) for checkpoints of the weights, optimizer"
        + " state and history; not set: none; not with l-bfgs");
  }

  /** The directory, or null when not set. */
  default String getCheckpointDir() {
    return isDefined(checkpointDir()) ? getOrDefault(checkpointDir()) : null;
  }

  default IntParam checkpointInterval() {
    return table().intParam("checkpointInterval", 10, ">= 1", ParamValidators.gtEq(1), "write a"
        + " checkpoint every k iterations (>= 1)");
  }

  default int getCheckpointInterval() {
    return (Integer) getOrDefault(checkpointInterval());
  }

  default BooleanParam resume() {
    return table().booleanParam("resume", false, "continue from the newest checkpoint in"
        + " checkpointDir, when there is one and it was written with the same settings and data");
  }

  default boolean getResume() {
    return (Boolean) getOrDefault(resume());
  }
}
