package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.spark.SparkCompat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.junit.jupiter.api.Test;

/**
 * Spark Connect finds third-party estimators and models with {@link ServiceLoader} over
 * META-INF/services/org.apache.spark.ml.Estimator and ...Transformer. A listed class that
 * cannot be loaded as a service (not a subtype, no public no-argument constructor) breaks the
 * whole lookup, Spark's own classes included: so the lookup as a whole must succeed.
 */
class ServiceRegistrationTest {
  private static List<Class<?>> types(Class<?> service) {
    return ServiceLoader.load(service).stream().map(ServiceLoader.Provider::type)
        .collect(Collectors.toList());
  }

  @Test
  void theEstimatorIsAnEstimatorService() {
    List<Class<?>> types = types(Estimator.class);
    assertTrue(types.contains(MultilayerPerceptronRegressor.class),
        "ServiceLoader's Estimators do not include ours: " + types);
    // Spark's own are found in the same lookup (Spark 4 lists them; Spark 3.5 has no such files).
    assertTrue(!SparkCompat.LINE.equals("4")
        || types.contains(org.apache.spark.ml.regression.LinearRegression.class),
        "Spark's LinearRegression is not among the Estimators: " + types);
    Estimator<?> made = ServiceLoader.load(Estimator.class).stream()
        .filter(p -> p.type() == MultilayerPerceptronRegressor.class).findFirst().orElseThrow()
        .get();
    assertTrue(made.uid().startsWith("mlpReg"), "uid of the ServiceLoader's instance: "
        + made.uid());
  }

  @Test
  void theModelIsATransformerService() {
    List<Class<?>> types = types(Transformer.class);
    assertTrue(types.contains(MultilayerPerceptronRegressionModel.class),
        "ServiceLoader's Transformers do not include our model: " + types);
    assertTrue(!SparkCompat.LINE.equals("4")
        || types.contains(org.apache.spark.ml.regression.LinearRegressionModel.class),
        "Spark's LinearRegressionModel is not among the Transformers: " + types);
  }

  @Test
  void theServiceFilesNameOurClasses() throws IOException {
    assertEquals(List.of(MultilayerPerceptronRegressor.class.getName()),
        ours("META-INF/services/org.apache.spark.ml.Estimator"), "our Estimator service lines");
    assertEquals(List.of(MultilayerPerceptronRegressionModel.class.getName()),
        ours("META-INF/services/org.apache.spark.ml.Transformer"),
        "our Transformer service lines");
  }

  /** The io.sparkbackprop lines of every copy of the resource on the class path. */
  private static List<String> ours(String resource) throws IOException {
    List<String> out = new ArrayList<>();
    Enumeration<URL> urls = ServiceRegistrationTest.class.getClassLoader().getResources(resource);
    assertTrue(urls.hasMoreElements(), "no " + resource + " on the class path");
    while (urls.hasMoreElements()) {
      URL u = urls.nextElement();
      try (InputStream in = u.openStream()) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          String s = line.strip();
          if (s.startsWith("io.sparkbackprop")) {
            out.add(s);
          }
        }
      }
    }
    return out;
  }
}
