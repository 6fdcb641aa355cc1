package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.optim.Adam;
import io.sparkbackprop.optim.GradientDescent;
import io.sparkbackprop.optim.LearningRate;
import io.sparkbackprop.optim.Momentum;
import io.sparkbackprop.optim.UpdateRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The optimizer options of {@code train}, parsed and checked once. */
final class Optimizers {
  /** Every setting of the chosen optimizer. */
  record Choice(String name, LearningRate lr, double batchFraction, double momentum,
      boolean nesterov, double beta1, double beta2, double epsilon, int lbfgsMemory, double l2,
      double clipNorm, int patience, double minDelta) {

    boolean lbfgs() {
      return name.equals("lbfgs");
    }

    /** A new update rule (new state) for one run. */
    UpdateRule rule() {
      return switch (name) {
        case "adam" -> new Adam(lr, beta1, beta2, epsilon);
        case "lbfgs" -> new GradientDescent(lr); // unused: L-BFGS has its own loop
        default -> momentum > 0 ? new Momentum(lr, momentum, nesterov) : new GradientDescent(lr);
      };
    }

    String describe() {
      String core = switch (name) {
        case "lbfgs" -> "lbfgs(memory=" + lbfgsMemory + ", full batch)";
        default -> rule().describe() + (batchFraction < 1 ? ", batch fraction " + batchFraction
            : ", full batch");
      };
      return name + ": " + core + (l2 > 0 ? ", l2 " + l2 : "")
          + (clipNorm > 0 ? ", clip-norm " + clipNorm : "")
          + (patience > 0 ? ", early stopping patience " + patience + " min-delta " + minDelta : "");
    }

    void describeInto(ObjectNode o) {
      o.put("name", name);
      o.put("learningRate", lr.describe());
      o.put("batchFraction", batchFraction);
      o.put("momentum", momentum);
      o.put("nesterov", nesterov);
      if (name.equals("adam")) {
        o.put("beta1", beta1);
        o.put("beta2", beta2);
        o.put("epsilon", epsilon);
      }
      if (lbfgs()) {
        o.put("lbfgsMemory", lbfgsMemory);
      }
      o.put("l2", l2);
      o.put("l2Convention", "objective + l2 * sum of squared weights, biases excluded");
      o.put("clipNorm", clipNorm);
      o.put("patience", patience);
      o.put("minDelta", minDelta);
    }
  }

  private Optimizers() {}

  static Choice parse(Args a, double lr) {
    String name = a.get("optimizer", "gd").trim().toLowerCase(Locale.ROOT);
    if (!Set.of("gd", "sgd", "adam", "lbfgs").contains(name)) {
      throw new UsageException("train: unknown --optimizer '" + a.get("optimizer", "") + "' (known:"
          + " gd, sgd, adam, lbfgs)");
    }
    LearningRate schedule;
    try {
      String s = a.get("lr-schedule", "constant");
      schedule = new LearningRate(s, lr, a.getDouble("power-t", 0.5, 0, 10),
          a.getDouble("lr-decay", 0.5, Double.MIN_VALUE, 1), a.getInt("lr-step", 100, 1));
    } catch (IllegalArgumentException e) {
      throw new UsageException("train: " + e.getMessage());
    }
    double fraction = a.getDouble("batch-fraction", name.equals("sgd") ? 0.1 : 1.0,
        Double.MIN_VALUE, 1.0);
    if (fraction < 1 && (name.equals("gd") || name.equals("lbfgs"))) {
      throw new UsageException("train: --batch-fraction is for sgd and adam; " + name
          + " uses every row");
    }
    double momentum = a.getDouble("momentum", 0, 0, 0.999999);
    if ((momentum > 0 || a.flag("nesterov")) && !(name.equals("gd") || name.equals("sgd"))) {
      throw new UsageException("train: --momentum and --nesterov are for gd and sgd, not " + name);
    }
    if (a.flag("nesterov") && momentum == 0) {
      throw new UsageException("train: --nesterov needs --momentum MU > 0");
    }
    return new Choice(name, schedule, fraction, momentum, a.flag("nesterov"),
        a.getDouble("beta1", Adam.BETA1, 0, 0.999999), a.getDouble("beta2", Adam.BETA2, 0, 0.999999),
        a.getDouble("epsilon", Adam.EPSILON, Double.MIN_VALUE, 1), a.getInt("lbfgs-memory", 7, 1),
        a.getDouble("l2", 0, 0, 1e6), a.getDouble("clip-norm", 0, 0, Double.MAX_VALUE),
        a.getInt("patience", 0, 0), a.getDouble("min-delta", 0, 0, Double.MAX_VALUE));
  }

  /**
   * What a checkpoint must match to be resumed: the command line without the options that do not
   * change the arithmetic (--resume, --overwrite, --log-every, --master, --model, --iterations).
   */
  static String fingerprint(String[] argv) {
    Set<String> ignored = Set.of("--resume", "--overwrite", "--log-every", "--master", "--model",
        "--iterations");
    Set<String> valued = Set.of("--log-every", "--master", "--model", "--iterations");
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < argv.length; i++) {
      String s = argv[i];
      String key = s.contains("=") ? s.substring(0, s.indexOf('=')) : s;
      if (ignored.contains(key)) {
        if (valued.contains(key) && !s.contains("=")) {
          i++;
        }
        continue;
      }
      kept.add(s);
    }
    return String.join(" ", kept);
  }
}
