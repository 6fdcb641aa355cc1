package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Fits running at the same time in one SparkSession share no mutable state: they give bit for bit
 * the models they give one after the other (kernel scratch is per executor thread, each fit has
 * its own broadcasts, update rule and loop; the BLAS and element-wise choices are made once per
 * JVM and hold no state).
 */
class ConcurrentFitsTest {
  /** One estimator and grid for both runs: a grid's order follows a hash of its Params. */
  private static final MultilayerPerceptronRegressor EST = MlFixtures.small().setMaxIter(8);
  private static final ParamMap[] GRID = new ParamGridBuilder()
      .addGrid(EST.stepSize(), new double[] {0.02, 0.05})
      .addGrid(EST.hiddenActivation(), CollectionConverters.asScala(List.of("tanh", "relu")))
      .build();

  private static CrossValidatorModel crossValidate(int parallelism) {
    MultilayerPerceptronRegressor est = EST;
    ParamMap[] grid = GRID;
    return new CrossValidator().setEstimator(est).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator()).setNumFolds(2).setSeed(11)
        .setParallelism(parallelism).setCollectSubModels(true)
        .fit(MlFixtures.diabetesAssembled());
  }

  @Test
  void crossValidationInParallelGivesTheModelsOfOneAtATime() {
    CrossValidatorModel one = crossValidate(1);
    CrossValidatorModel four = crossValidate(4);
    assertArrayEquals(one.avgMetrics(), four.avgMetrics(), "average metrics");
    Model<?>[][] a = one.subModels();
    Model<?>[][] b = four.subModels();
    assertEquals(2, a.length, "folds");
    for (int fold = 0; fold < a.length; fold++) {
      assertEquals(4, a[fold].length, "sub-models of fold " + fold);
      for (int p = 0; p < a[fold].length; p++) {
        MultilayerPerceptronRegressionModel x = (MultilayerPerceptronRegressionModel) a[fold][p];
        MultilayerPerceptronRegressionModel y = (MultilayerPerceptronRegressionModel) b[fold][p];
        assertArrayEquals(x.weights(), y.weights(), "weights of fold " + fold + ", map " + p);
        assertArrayEquals(x.summary().objectiveHistory(), y.summary().objectiveHistory(),
            "objective history of fold " + fold + ", map " + p);
      }
    }
    assertArrayEquals(((MultilayerPerceptronRegressionModel) one.bestModel()).weights(),
        ((MultilayerPerceptronRegressionModel) four.bestModel()).weights(), "best model");
  }

  @Test
  void twoFitsInTwoThreadsEqualTheSameFitsInTurn() throws Exception {
    Dataset<Row> df = MlFixtures.diabetesAssembled();
    List<MultilayerPerceptronRegressor> fits = List.of(
        MlFixtures.small().setSolver("adam").setStepSize(0.01).setMaxIter(15),
        MlFixtures.small().setSolver("sgd").setMiniBatchFraction(0.5).setLayers(new int[] {10, 3, 1})
            .setMaxIter(15));
    double[][] inTurn = new double[2][];
    for (int i = 0; i < 2; i++) {
      inTurn[i] = fits.get(i).fit(df).weights();
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<MultilayerPerceptronRegressionModel>> running = List.of(
          pool.submit(() -> fits.get(0).fit(df)), pool.submit(() -> fits.get(1).fit(df)));
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(inTurn[i], running.get(i).get().weights(), "weights of fit " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
