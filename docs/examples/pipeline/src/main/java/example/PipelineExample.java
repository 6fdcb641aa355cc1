package example;

import io.sparkbackprop.ml.MultilayerPerceptronRegressionModel;
import io.sparkbackprop.ml.MultilayerPerceptronRegressor;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A Spark program outside the project: a Pipeline of VectorAssembler and
 * MultilayerPerceptronRegressor fit on the diabetes table, saved, loaded in a NEW Spark session,
 * and checked to predict the same numbers; then a CrossValidator over layers and regParam.
 *
 * <p>Arguments: the diabetes Parquet path and a directory to save into. Exit code 0 when the
 * loaded model predicts exactly what the fitted one did.
 */
public final class PipelineExample {
  public static void main(String[] args) throws Exception {
    String data = args[0];
    String saved = args[1] + "/diabetes-pipeline";
    String[] features = {"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"};

    SparkSession spark = session();
    Dataset<Row> df = spark.read().parquet(data);
    VectorAssembler assembler = new VectorAssembler().setInputCols(features)
        .setOutputCol("features");
    MultilayerPerceptronRegressor mlp = new MultilayerPerceptronRegressor()
        .setLayers(new int[] {10, 8, 1})
        .setSolver("l-bfgs")
        .setMaxIter(100)
        .setRegParam(0.05)
        .setSeed(7);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, mlp}).fit(df);
    MultilayerPerceptronRegressionModel fitted =
        (MultilayerPerceptronRegressionModel) model.stages()[1];
    System.out.printf("fit: %s; training RMSE %.4f, R2 %.4f after %d iterations (%s)%n",
        fitted.network(), fitted.summary().training().rmse(), fitted.summary().training().r2(),
        fitted.summary().totalIterations(), fitted.summary().stopReason());
    List<Double> before = predictions(model, df);
    model.write().overwrite().save(saved);
    spark.stop();

    spark = session();
    PipelineModel loaded = PipelineModel.load(saved);
    List<Double> after = predictions(loaded, spark.read().parquet(data));
    boolean same = before.equals(after);
    System.out.printf("saved to %s, loaded in a new session: %d predictions, %s%n", saved,
        after.size(), same ? "all equal" : "DIFFERENT");

    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(mlp.layers(), CollectionConverters.asScala(List.of(new int[] {10, 4, 1},
            new int[] {10, 8, 1})))
        .addGrid(mlp.regParam(), new double[] {0.01, 0.1})
        .build();
    CrossValidatorModel cv = new CrossValidator()
        .setEstimator(new Pipeline().setStages(new PipelineStage[] {assembler, mlp.setMaxIter(40)}))
        .setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator().setMetricName("rmse"))
        .setNumFolds(3)
        .setSeed(1)
        .fit(spark.read().parquet(data));
    double[] rmse = cv.avgMetrics();
    for (int i = 0; i < grid.length; i++) {
      System.out.printf("cross-validation: layers %s, regParam %s: mean RMSE %.4f%n",
          java.util.Arrays.toString(grid[i].apply(mlp.layers())), grid[i].apply(mlp.regParam()),
          rmse[i]);
    }
    spark.stop();
    System.exit(same ? 0 : 1);
  }

  private static SparkSession session() {
    return SparkSession.builder().master("local[2]").appName("spark-backprop pipeline example")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  private static List<Double> predictions(PipelineModel m, Dataset<Row> df) {
    return m.transform(df).select("prediction").as(org.apache.spark.sql.Encoders.DOUBLE())
        .collectAsList();
  }
}
