# Shared by jobs/cluster, jobs/submit and jobs/cluster-test: a Spark standalone cluster on loopback,
# run from the Maven repository's jars (no Spark install). Sourced after _lib.sh.
SBP_CLUSTER_DIR="${SBP_CLUSTER_DIR:-$SBP_HOME/.cluster}"
# SBP_SPARK_VERSION: another Spark version's jars (jobs/runtime-test), in .cluster/spark-home-VERSION
# unless SBP_SPARK_HOME says where; unset: jobs/spark-dist/pom.xml's version, in .cluster/spark-home.
SBP_SPARK_VERSION="${SBP_SPARK_VERSION:-}"
SBP_SPARK_HOME="${SBP_SPARK_HOME:-$SBP_HOME/.cluster/spark-home${SBP_SPARK_VERSION:+-$SBP_SPARK_VERSION}}"
SBP_MASTER_PORT="${SBP_MASTER_PORT:-7077}"
SBP_MASTER_UI_PORT="${SBP_MASTER_UI_PORT:-8080}"
SBP_MASTER_URL="spark://127.0.0.1:$SBP_MASTER_PORT"
SBP_MASTER_JSON="http://127.0.0.1:$SBP_MASTER_UI_PORT/json/"

# sbp_mvn ARGS...: Maven in the project, offline first (fast, and no network when ~/.m2 has it all),
# online when offline lacks a plugin (a fresh CI machine that has only run `mvn test`).
sbp_mvn() {
  (cd "$SBP_HOME" && { mvn -q -B -o "$@" > /dev/null 2>&1 || mvn -q -B "$@"; } >&2)
}

# sbp_spark_home: makes $SBP_SPARK_HOME/jars hold what a stock Spark distribution's jars/ holds:
# Spark's own artifacts (spark-core, spark-sql, spark-mllib) and their dependencies, never this
# project's (jobs/spark-dist/pom.xml), as symbolic links into ~/.m2; redone when that pom or
# $SBP_SPARK_VERSION (the Spark version, default the pom's) changes.
sbp_spark_home() {
  local jars="$SBP_SPARK_HOME/jars" list="$SBP_SPARK_HOME/classpath.txt"
  local dist="$SBP_HOME/jobs/spark-dist/pom.xml" stamp="$SBP_SPARK_HOME/spark-version.txt"
  local version="${SBP_SPARK_VERSION:-pom}"
  if [[ -f "$list" && "$list" -nt "$dist" && -d "$jars" \
        && "$(cat "$stamp" 2>/dev/null)" == "$version" ]]; then
    return 0
  fi
  echo "assembling $SBP_SPARK_HOME (Spark ${SBP_SPARK_VERSION:-of jobs/spark-dist/pom.xml}: its own jars from the Maven repository)..." >&2
  mkdir -p "$SBP_SPARK_HOME"
  rm -f "$stamp"
  sbp_mvn -f "$dist" dependency:build-classpath -Dmdep.includeScope=runtime \
    ${SBP_SPARK_VERSION:+-Dspark.version=$SBP_SPARK_VERSION} -Dmdep.outputFile="$list.tmp"
  rm -rf "$jars.tmp" && mkdir -p "$jars.tmp"
  local jar
  { tr ':' '\n' < "$list.tmp"; echo; } | while read -r jar; do
    [[ -n "$jar" ]] && ln -s "$jar" "$jars.tmp/$(basename "$jar")"
  done
  rm -rf "$jars" && mv "$jars.tmp" "$jars" && mv "$list.tmp" "$list"
  echo "$version" > "$stamp"
  mkdir -p "$SBP_SPARK_HOME/conf"
  echo "$(ls "$jars" | wc -l) jars in $jars" >&2
}

# The environment every daemon (and, through the worker, every executor) needs.
sbp_cluster_env() {
  export SPARK_HOME="$SBP_SPARK_HOME" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  export SPARK_CONF_DIR="$SBP_SPARK_HOME/conf"
}

# sbp_secret FILE: the shared secret in FILE (its first line), for a secured cluster. Exits 2 with
# one line when FILE is missing, empty, readable by group or others, or not one word of letters,
# digits and + / = _ . - (it goes into a Java properties file as it is).
sbp_secret() {
  local f="$1" s
  [[ -f "$f" && -r "$f" ]] || { echo "error: secret file $f: not found or not readable" >&2; exit 2; }
  if [[ -n "$(find "$f" -perm /077 2>/dev/null)" ]]; then
    echo "error: secret file $f: readable by group or others (chmod 600 $f)" >&2
    exit 2
  fi
  s="$(head -n 1 "$f")"
  if [[ ! "$s" =~ ^[A-Za-z0-9+/=_.-]{16,}$ ]]; then
    echo "error: secret file $f: the first line must be one word of at least 16 letters, digits, + / = _ . - (e.g. openssl rand -hex 32)" >&2
    exit 2
  fi
  printf '%s' "$s"
}

# sbp_secure_conf FILE SECRET [APP]: writes a Java properties file of mode 600 with the settings of a
# secured standalone cluster: RPC authentication with SECRET and AES encryption of every RPC and
# block transfer; with APP, also what only applications take (encrypted shuffle, spill and cached
# blocks on local disks). Spark reads a secret from a file only on Kubernetes, so the secret goes in
# this file (given as --properties-file), never on a command line that `ps` shows.
sbp_secure_conf() {
  (
    umask 077
    {
      echo "spark.authenticate=true"
      echo "spark.authenticate.secret=$2"
      echo "spark.network.crypto.enabled=true"
      if [[ -n "${3:-}" ]]; then
        echo "spark.io.encryption.enabled=true"
      else
        echo "spark.master.rest.enabled=false"
      fi
    } > "$1.tmp"
    mv "$1.tmp" "$1"
  )
}

# sbp_alive_workers: the master's count of ALIVE workers, or nothing when it does not answer.
sbp_alive_workers() {
  sbp_get "$SBP_MASTER_JSON" 2 \
    | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || true
}

# sbp_get URL [SECONDS]: the body of an http://127.0.0.1:PORT/... URL; nothing on failure. curl
# when installed, else bash's /dev/tcp (HTTP/1.0).
sbp_get() {
  if command -v curl > /dev/null; then
    curl -s --max-time "${2:-30}" "$1" 2>/dev/null || true
    return 0
  fi
  local rest="${1#http://}" hostport path
  hostport="${rest%%/*}"
  path="/${rest#*/}"
  (
    exec 3<> "/dev/tcp/${hostport%:*}/${hostport##*:}" || exit 0
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
    timeout "${2:-30}" cat <&3 | sed '1,/^\r\{0,1\}$/d'
  ) 2>/dev/null || true
}

# sbp_children PID: the PIDs whose parent is PID (from /proc, no procps needed).
sbp_children() {
  local s line rest
  for s in /proc/[0-9]*/stat; do
    line="$(cat "$s" 2>/dev/null)" || continue
    rest="${line##*) }"
    rest="${rest#* }"
    [[ "${rest%% *}" == "$1" ]] && { s="${s#/proc/}"; echo "${s%/stat}"; }
  done
  return 0
}

# sbp_descendants PID: every descendant process of PID, children first.
sbp_descendants() {
  local c
  for c in $(sbp_children "$1"); do
    echo "$c"
    sbp_descendants "$c"
  done
}

# sbp_app_jar [spark35]: prints the application jar (shaded: everything a stock Spark lacks is
# inside), built (mvn package) when pom.xml or the sources are newer; with spark35, the Spark 3.5
# build's (mvn -Pspark35 package, in target/spark35). $SBP_APP_JAR, when set, is the jar instead.
sbp_app_jar() {
  if [[ -n "${SBP_APP_JAR:-}" ]]; then
    echo "$SBP_APP_JAR"
    return 0
  fi
  local jar dir="$SBP_HOME/target${1:+/$1}"
  jar="$(ls "$dir"/spark-backprop-*.jar 2>/dev/null | grep -v -e -sources -e -tests -e original- | sed -n 1p || true)"
  if [[ -z "$jar" || "$SBP_HOME/pom.xml" -nt "$jar" || -n "$(find "$SBP_HOME/src/main" \
        "$SBP_HOME"/src/spark*/java -newer "$jar" -type f 2>/dev/null | sed -n 1p)" ]]; then
    echo "building the application jar (mvn ${1:+-P$1 }package)..." >&2
    sbp_mvn ${1:+-P$1} -DskipTests package
    jar="$(ls "$dir"/spark-backprop-*.jar | grep -v -e -sources -e -tests -e original- | sed -n 1p)"
  fi
  echo "$jar"
}
