package io.sparkbackprop.ml;

import io.sparkbackprop.nn.blas.Blas;
import io.sparkbackprop.nn.ElementWise;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.spark.BlockData;
import java.util.List;

/**
 * What a fit knows when its iterations begin.
 *
 * @param network e.g. "10-16-1 relu,identity"
 * @param weights the number of weights, biases included
 * @param solver the solver and every setting that applies, e.g. "gd(constant(lr=0.1)), full batch"
 * @param maxIterations the iteration limit
 * @param trainingRows rows in the training blocks
 * @param validationRows rows in the validation blocks (0: no validation)
 * @param invalidRows rows left out for a null, NaN or infinite value
 * @param features feature values per row
 * @param featureNames a name per feature value
 * @param partitions partitions of the training blocks
 * @param blockSize rows per block
 * @param cachedBytes bytes the cached training blocks take
 * @param resumedAfter the checkpoint's iteration when resuming (0: from the start)
 * @param warnings e.g. constant columns
 * @param blas the BLAS implementation on the driver
 * @param elementWise the element-wise implementation on the driver (scalar or vector)
 */
public record TrainingStart(String network, int weights, String solver, int maxIterations,
    long trainingRows, long validationRows, long invalidRows, int features,
    List<String> featureNames, int partitions, int blockSize, long cachedBytes, int resumedAfter,
    List<String> warnings, String blas, String elementWise) {

  /** What a fit over {@code data} starts with; the rows, features and warnings from the data. */
  static TrainingStart of(Network net, String solver, int maxIterations, BlockData.Loaded data,
      int blockSize, long cachedBytes, int resumedAfter) {
    return new TrainingStart(net.toString(), net.size(), solver, maxIterations,
        data.trainingRows(), data.validationRows(), data.invalidRows(), net.inputWidth(),
        data.featureNames(), data.training().getNumPartitions(), blockSize, cachedBytes,
        resumedAfter, data.warnings(), Blas.description(), ElementWise.get().name());
  }
}
