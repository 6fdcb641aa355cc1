package io.sparkbackprop.optim;

import breeze.linalg.DenseVector;
import breeze.linalg.DenseVector$mcD$sp;
import breeze.optimize.DiffFunction;
import breeze.optimize.FirstOrderMinimizer;
import breeze.optimize.LBFGS;
import java.util.function.Function;
import scala.Tuple2;
import scala.reflect.ClassTag;

/**
 * L-BFGS from Breeze (we do not write our own). Breeze's line search calls the objective as often
 * as it needs; each call is one full evaluation of (J, dJ/dw) (on Spark: one broadcast, one pass,
 * the broadcast destroyed). Calls at a point already evaluated are served from Breeze's cache.
 */
public final class Lbfgs {
  /** The objective's value and gradient at a point. */
  public record ValueAndGradient(double value, double[] gradient) {}

  /** Called once per L-BFGS iteration with its number, value and gradient norm. */
  public interface Progress {
    /** Return true to stop early. */
    boolean iteration(int iter, double value, double gradientNorm, double[] x);
  }

  /** The result: the last iterate, its value, iterations done, and why it stopped. */
  public record Result(double[] x, double value, int iterations, String reason) {}

  private Lbfgs() {}

  /**
   * Minimises f from x0.
   *
   * @param memory number of correction pairs kept (Breeze's m)
   * @param tolerance Breeze's convergence tolerance (relative change of the objective / gradient)
   */
  public static Result minimize(Function<double[], ValueAndGradient> f, double[] x0, int maxIter,
      int memory, double tolerance, Progress progress) {
    DiffFunction<DenseVector<Object>> df = x -> {
      double[] data = toArray(x);
      ValueAndGradient v = f.apply(data);
      return new Tuple2<>(v.value(), new DenseVector$mcD$sp(v.gradient()));
    };
    DiffFunction<DenseVector<Object>> cached = df.cached(DenseVector.canCopyDenseVector(ClassTag.Double()));
    LBFGS<DenseVector<Object>> lbfgs = new LBFGS<>(maxIter, memory, tolerance, DenseVector.space_Double());
    scala.collection.Iterator<FirstOrderMinimizer.State<DenseVector<Object>, Object, Object>> it =
        lbfgs.iterations(cached, new DenseVector$mcD$sp(x0.clone()));
    FirstOrderMinimizer.State<DenseVector<Object>, Object, Object> last = null;
    String reason = null;
    while (it.hasNext()) {
      last = it.next();
      double[] g = toArray(last.grad());
      double norm = 0;
      for (double v : g) {
        norm += v * v;
      }
      if (progress != null && progress.iteration(last.iter(), last.value(), Math.sqrt(norm),
          toArray(last.x()))) {
        reason = "stopped by the caller at L-BFGS iteration " + last.iter();
        break;
      }
    }
    if (last == null) {
      return new Result(x0.clone(), Double.NaN, 0, "no iteration");
    }
    if (reason == null) {
      reason = last.convergenceReason().isDefined()
          ? "L-BFGS: " + last.convergenceReason().get().reason()
          : (last.searchFailed() ? "L-BFGS: line search failed" : "L-BFGS: finished");
    }
    return new Result(toArray(last.x()).clone(), last.value(), last.iter(), reason);
  }

  private static double[] toArray(DenseVector<Object> v) {
    double[] d = v.data$mcD$sp();
    if (v.offset() == 0 && v.stride() == 1 && v.length() == d.length) {
      return d;
    }
    double[] out = new double[v.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = d[v.offset() + i * v.stride()];
    }
    return out;
  }
}
