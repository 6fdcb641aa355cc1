# Shared by the jobs/ scripts: build when needed, then run a command with Spark on the classpath.
# Needs only JDK 17 and Maven: Spark comes from Maven's repository, no Spark install.
set -euo pipefail
SBP_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# Spark runs one task per core; a native OpenBLAS must not start threads of its own on top
# (2 tasks x 2 OpenBLAS threads on 2 cores measured 2.5x slower). jobs/submit passes it to executors.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
# Debian's Maven 3.8 (jansi 2) writes a colour reset, ESC[0m, to stdout and stderr even with -q -B
# (-Dstyle.color=never does not stop it): every mvn the scripts run gets jansi.noreset.
export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true"

# sbp_wants_help ARGS...: true when one of ARGS is -h or --help.
sbp_wants_help() {
  local a
  for a in "$@"; do
    [[ "$a" == -h || "$a" == --help ]] && return 0
  done
  return 1
}

# sbp_usage: the calling script's usage, on stdout: its header comment (line 2 up to the first line
# that is not a comment), without the comment marks.
sbp_usage() {
  sed -n '2,$p' "$0" | sed '/^[^#]/,$d' | sed 's/^# \{0,1\}//'
}

# sbp_help ARGS...: for a script with logic of its own, called before it does anything: with -h or
# --help among ARGS, prints the usage and exits 0.
sbp_help() {
  if sbp_wants_help "$@"; then
    sbp_usage
    exit 0
  fi
}

# The JVM options spark-submit itself adds on Java 17 (Spark's JavaModuleOptions), plus the Vector
# API so that netlib's pure-Java fallback is its fast VectorBLAS.
SBP_JAVA_OPTS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
  -Djava.awt.headless=true
)

# Which BLAS: io.sparkbackprop.nn.blas.Blas decides in Java, in every JVM (OpenBLAS, MKL or BLIS when
# the machine has one, else VectorBLAS, never the reference BLAS); -Dsparkbackprop.blas=java|native|PATH
# in SBP_EXTRA_JAVA_OPTS overrides it.

sbp_build() {
  if [[ -n "${SBP_CLASSPATH:-}" ]]; then
    return 0  # a caller (the tests) gives the classpath: nothing to build
  fi
  local stamp="$SBP_HOME/target/.sbp-built" cp="$SBP_HOME/target/classpath.txt"
  if [[ ! -f "$stamp" || ! -f "$cp" || "$SBP_HOME/pom.xml" -nt "$stamp" \
        || -n "$(find "$SBP_HOME/src/main" -newer "$stamp" -type f 2>/dev/null | sed -n 1p)" ]]; then
    echo "building spark-backprop (mvn compile)..." >&2
    (cd "$SBP_HOME" && mvn -q -B -DskipTests compile dependency:build-classpath \
        -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile >&2)
    touch "$stamp"
  fi
}

# sbp_run COMMAND [args...]: runs io.sparkbackprop.cli.Main in this JVM setup. In local mode
# Spark's own log lines go to a log file (jobs/log4j2-local.properties; the command's one-line
# error names it), unless --verbose or a --master that is not local[...] is given; the JVM's
# notice about the incubating Vector API is left out of stderr. With -h or --help nothing is
# created (no log directory): the command prints its help.
sbp_run() {
  sbp_build
  local conf="$SBP_HOME/jobs/log4j2-local.properties" a prev=""
  for a in "$@"; do
    if [[ "$a" == --verbose || ( "$prev" == --master && "$a" != local* ) \
          || ( "$a" == --master=* && "${a#--master=}" != local* ) ]]; then
      conf="$SBP_HOME/jobs/log4j2.properties"
    fi
    prev="$a"
  done
  local logs="${SBP_LOG_DIR:-$SBP_HOME/target/logs}"
  sbp_wants_help "$@" || mkdir -p "$logs"
  local cp="${SBP_CLASSPATH:-$SBP_HOME/target/classes:$(cat "$SBP_HOME/target/classpath.txt")}"
  exec java ${SBP_JVM_MEM:--Xmx4g} "${SBP_JAVA_OPTS[@]}" ${SBP_EXTRA_JAVA_OPTS:-} \
    -Dlog4j2.configurationFile="$conf" \
    -Dsbp.log.file="$logs/$1-$(date +%Y%m%d-%H%M%S)-$$.log" \
    -cp "$cp" io.sparkbackprop.cli.Main "$@" \
    2> >(grep -v --line-buffered '^WARNING: Using incubator modules: jdk.incubator.vector$' >&2)
}
