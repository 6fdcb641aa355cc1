package io.sparkbackprop.nn.blas;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.LogManager;

/**
 * The BLAS in use, through the netlib interface that Spark and Breeze already bring, chosen by
 * {@link BlasRule}: an optimized native BLAS (OpenBLAS, MKL, BLIS) when the machine has one, else
 * netlib's pure-Java BLAS (VectorBLAS when the JVM has {@code jdk.incubator.vector}), never the
 * reference BLAS, whatever {@code libblas.so.3} points at.
 *
 * <p>The choice is made once per JVM, in this class's static initialisation (and logged at INFO),
 * by the same rule in every JVM: the driver and each executor run it on their own machine, so on machines alike they
 * load the same library and compute the same bits. (Machines that differ may choose differently;
 * {@code -Dsparkbackprop.blas=...} in {@code spark.driver/executor.extraJavaOptions} pins it.)
 *
 * <p>Before touching netlib it sets netlib's own system properties, so that netlib's
 * {@code BLAS.getInstance()}, which Spark's and Breeze's code use, agrees when it has not been
 * initialised yet: {@code dev.ludovic.netlib.blas.nativeLibPath} to the chosen library, or
 * {@code dev.ludovic.netlib.blas.allowNative=false} for the Java BLAS (netlib 3.1 and later honour
 * it; it also spares the dlopen error netlib prints on a machine without {@code libblas.so.3}).
 * When netlib was initialised earlier in the JVM, with another library than the chosen one (the
 * check: is the chosen file mapped in {@code /proc/self/maps}), this class uses the Java BLAS and
 * says so in {@link #description()}.
 *
 * <p>Override with the system property {@code sparkbackprop.blas}: {@code java}, {@code native}
 * (netlib's own choice, unchecked) or the path of a BLAS library; see {@link BlasRule}.
 */
public final class Blas {
  private static final BLAS INSTANCE;
  private static final String DESCRIPTION;

  static {
    BlasChoice choice;
    try {
      choice = BlasRule.choose(BlasRule.observe());
    } catch (RuntimeException e) {
      choice = new BlasChoice(BlasChoice.Use.JAVA, null, "the BLAS rule failed: " + e);
    }
    BLAS blas;
    switch (choice.use()) {
      case NATIVE -> {
        String file = choice.library().file().toString();
        System.setProperty(BlasRule.NETLIB_NATIVE_LIB_PATH, file);
        blas = BLAS.getInstance();
        if (!(blas instanceof NativeBLAS)) {
          choice = new BlasChoice(BlasChoice.Use.JAVA, choice.library(), "netlib could not load "
              + file);
          blas = JavaBLAS.getInstance();
        } else if (!mapped(file)) {
          choice = new BlasChoice(BlasChoice.Use.JAVA, choice.library(), "netlib's native BLAS was"
              + " initialised before this rule ran, with another library than " + file);
          blas = JavaBLAS.getInstance();
        }
      }
      case NETLIB_DEFAULT -> {
        blas = BLAS.getInstance();
        if (!(blas instanceof NativeBLAS) && choice.library() != null) {
          choice = new BlasChoice(BlasChoice.Use.NETLIB_DEFAULT, null, choice.reason()
              + "; netlib could not load " + choice.library().file());
        }
      }
      default -> {
        if (System.getProperty(BlasRule.NETLIB_ALLOW_NATIVE) == null) {
          System.setProperty(BlasRule.NETLIB_ALLOW_NATIVE, "false");
        }
        blas = JavaBLAS.getInstance();
      }
    }
    INSTANCE = blas;
    DESCRIPTION = choice.describe(blas.getClass().getSimpleName());
    // every JVM says what it chose (the driver's log, each executor's stderr log)
    LogManager.getLogger(Blas.class).info("BLAS: {}", DESCRIPTION);
  }

  private Blas() {}

  /** The instance in use in this JVM. */
  public static BLAS get() {
    return INSTANCE;
  }

  /** Simple class name of the implementation: JNIBLAS (native), VectorBLAS or Java11BLAS/Java8BLAS. */
  public static String name() {
    return INSTANCE.getClass().getSimpleName();
  }

  /**
   * What was chosen and why, for the log and the model's provenance:
   * {@code JNIBLAS (OpenBLAS, /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3; libblas.so.3
   * is OpenBLAS)}, {@code VectorBLAS (libblas.so.3 is the reference BLAS; no OpenBLAS, MKL or BLIS
   * found)}.
   */
  public static String description() {
    return DESCRIPTION;
  }

  /**
   * Whether {@code file} is mapped into this process (Linux's {@code /proc/self/maps}); true when
   * that cannot be read, as nothing better is known then.
   */
  static boolean mapped(String file) {
    List<String> maps;
    try {
      maps = Files.readAllLines(Path.of("/proc/self/maps"));
    } catch (IOException | RuntimeException e) {
      return true;
    }
    String suffix = " " + file;
    for (String line : maps) {
      if (line.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }
}
