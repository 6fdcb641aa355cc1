package io.sparkbackprop.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A real YARN for the shell tests (jobs/yarn-test): a ResourceManager and one NodeManager
 * (Hadoop's MiniYARNCluster, from Maven's hadoop-client-minicluster) over an {@link Hdfs}, all in
 * one process, every address on 127.0.0.1. {@code Yarn serve DIR} writes a client configuration
 * for spark-submit to DIR/conf (core-site.xml: fs.defaultFS; yarn-site.xml: the ResourceManager's
 * addresses, nothing else: the mini cluster's full configuration names test-only classes a client
 * does not have), the HDFS URI to DIR/hdfs.uri (last, so that its presence means "up"), and serves
 * until killed. Containers' logs go under the working directory (target/test/data/...).
 * Any start failure exits with 1 (HDFS's threads would keep a failed JVM alive).
 */
public final class Yarn {
  private Yarn() {}

  /**
   * The NodeManager offers 4 GiB and 4 virtual cores (the capacity scheduler counts memory only):
   * room for an application master and two executors of 512 MiB with their 384 MiB overheads.
   * Memory checks are off (JVMs reserve far more virtual memory than YARN's 2.1x), the disk check
   * too (a nearly full disk would mark the only node unhealthy). One queue, "default", may be all
   * application masters.
   */
  static YarnConfiguration configuration(String hdfsUri) {
    YarnConfiguration conf = new YarnConfiguration();
    conf.set("fs.defaultFS", hdfsUri);
    conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    conf.set(YarnConfiguration.RM_BIND_HOST, "127.0.0.1");
    conf.set("yarn.nodemanager.hostname", "127.0.0.1");
    conf.set(YarnConfiguration.NM_BIND_HOST, "127.0.0.1");
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
    conf.setInt(YarnConfiguration.NM_VCORES, 4);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage",
        "100.0");
    conf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_FIXED_PORTS, false);
    // No capacity-scheduler.xml on this classpath: the queues must be given.
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
    conf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
    conf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "1.0");
    return conf;
  }

  /** Starts YARN over the HDFS at {@code hdfsUri}; returns once the ResourceManager has a port. */
  static MiniYARNCluster start(String hdfsUri) throws InterruptedException {
    MiniYARNCluster yarn = new MiniYARNCluster("sbp", 1, 1, 1);
    yarn.init(configuration(hdfsUri));
    yarn.start();
    while (rmAddress(yarn.getConfig()).isEmpty() || rmAddress(yarn.getConfig()).endsWith(":0")) {
      Thread.sleep(100);
    }
    return yarn;
  }

  private static String rmAddress(Configuration conf) {
    return conf.get(YarnConfiguration.RM_ADDRESS, "");
  }

  /** Writes DIR/core-site.xml and DIR/yarn-site.xml, what a client needs of this cluster. */
  static void writeClientConf(Configuration yarnConf, String hdfsUri, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    Configuration core = new Configuration(false);
    core.set("fs.defaultFS", hdfsUri);
    Configuration site = new Configuration(false);
    site.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    for (Map.Entry<String, String> e : yarnConf) {
      if (e.getKey().startsWith(YarnConfiguration.RM_PREFIX) && e.getKey().endsWith(".address")) {
        site.set(e.getKey(), yarnConf.get(e.getKey()));
      }
    }
    try (OutputStream o = Files.newOutputStream(dir.resolve("core-site.xml"))) {
      core.writeXml(o);
    }
    try (OutputStream o = Files.newOutputStream(dir.resolve("yarn-site.xml"))) {
      site.writeXml(o);
    }
  }

  /** {@code Yarn serve DIR}: see the class comment. */
  public static void main(String[] args) {
    if (args.length != 2 || !args[0].equals("serve")) {
      System.err.println("usage: Yarn serve DIR");
      System.exit(2);
    }
    try {
      Path dir = Path.of(args[1]).toAbsolutePath();
      Hdfs hdfs = Hdfs.start(dir.resolve("hdfs"));
      MiniYARNCluster yarn = start(hdfs.uri());
      writeClientConf(yarn.getConfig(), hdfs.uri(), dir.resolve("conf"));
      Files.writeString(dir.resolve("hdfs.uri"), hdfs.uri() + "\n");
      System.out.println(hdfs.uri() + " " + rmAddress(yarn.getConfig()));
      System.out.flush();
      Thread.currentThread().join();
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
