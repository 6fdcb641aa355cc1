package io.sparkbackprop.ml;

/**
 * The uid of an estimator or model under construction. Spark's {@code Predictor} and
 * {@code PredictionModel} constructors create their Params and ask for {@code uid()} before a
 * subclass's own fields are set; so a subclass's constructor parks the uid here first (in the
 * argument of its {@code this(...)} call, which runs before {@code super()}), and {@code uid()}
 * reads it until the field is set.
 */
final class PendingUid {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private PendingUid() {}

  /** Parks {@code uid} for the constructor about to run; returns it. */
  static String park(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("a uid must not be empty");
    }
    PENDING.set(uid);
    return uid;
  }

  /** The parked uid. */
  static String current() {
    return PENDING.get();
  }

  /** Takes the parked uid away, once the field holds it. */
  static void clear() {
    PENDING.remove();
  }
}
