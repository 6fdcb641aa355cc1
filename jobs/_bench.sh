# Shared by jobs/bench and jobs/bench-kernel (sourced after _lib.sh): the benchmarks live in
# src/bench/java, outside the library jar; the Maven profile `bench` compiles them into
# target/classes beside the library.

# sbp_bench_built: true when the bench build is there and newer than the pom and every source.
sbp_bench_built() {
  local stamp="$SBP_HOME/target/.sbp-bench-built"
  [[ -f "$stamp" && -f "$SBP_HOME/target/bench-classpath.txt" \
      && -f "$SBP_HOME/target/classes/io/sparkbackprop/bench/KernelBench.class" \
      && ! "$SBP_HOME/pom.xml" -nt "$stamp" \
      && -z "$(find "$SBP_HOME/src/main" "$SBP_HOME/src/bench" -newer "$stamp" -type f 2>/dev/null \
          | sed -n 1p)" ]]
}

# sbp_bench_build: builds with the bench profile unless the build is current.
sbp_bench_build() {
  sbp_bench_built && return 0
  echo "building spark-backprop with the bench profile (mvn -P bench compile)..." >&2
  (cd "$SBP_HOME" && mvn -q -B -P bench -DskipTests compile dependency:build-classpath \
      -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=compile >&2)
  touch "$SBP_HOME/target/.sbp-bench-built"
}

# sbp_bench_run CLASS [args...]: builds when needed, then runs io.sparkbackprop.bench.CLASS in
# this shell's place (Spark's log lines go to stderr, jobs/log4j2.properties; the JVM's notice
# about the incubating Vector API is left out).
sbp_bench_run() {
  local main="io.sparkbackprop.bench.$1"
  shift
  sbp_bench_build
  cd "$SBP_HOME"
  exec java ${SBP_JVM_MEM:--Xmx4g} "${SBP_JAVA_OPTS[@]}" ${SBP_EXTRA_JAVA_OPTS:-} \
    -Dlog4j2.configurationFile="$SBP_HOME/jobs/log4j2.properties" \
    -cp "$SBP_HOME/target/classes:$(cat "$SBP_HOME/target/bench-classpath.txt")" \
    "$main" "$@" \
    2> >(grep -v --line-buffered '^WARNING: Using incubator modules: jdk.incubator.vector$' >&2)
}

# sbp_bench_help CLASS ARGS...: with -h or --help among ARGS, prints the script's usage (its
# header), then CLASS's options (its picocli help), and exits 0. The options need the bench build,
# made first when missing, as every Java job's --help does; but when a caller gives the classpath
# (SBP_CLASSPATH: the tests, where nothing may be built) and the build is not current, a line says
# where they are instead.
sbp_bench_help() {
  local main="$1"
  shift
  sbp_wants_help "$@" || return 0
  sbp_usage
  echo
  if [[ -n "${SBP_CLASSPATH:-}" ]] && ! sbp_bench_built; then
    echo "Options: listed here once the benchmarks are built (mvn -P bench compile; the first run"
    echo "builds them); declared in src/bench/java/io/sparkbackprop/bench/$main.java."
    exit 0
  fi
  sbp_bench_run "$main" --help
}
