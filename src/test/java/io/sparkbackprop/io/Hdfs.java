package io.sparkbackprop.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS for tests: a NameNode and one DataNode in this JVM (Hadoop's MiniDFSCluster, from
 * Maven's hadoop-client-minicluster), every address on 127.0.0.1. {@code main} runs one as a
 * process of its own for the shell tests: it prints its URI on the first line of stdout (and into
 * the file given as the second argument) and serves until killed.
 */
public final class Hdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  private Hdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  /** Starts one, its data under {@code dir}. */
  public static Hdfs start(Path dir) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toAbsolutePath().toString());
    conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.namenode.servicerpc-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.setBoolean("dfs.permissions.enabled", false);
    MiniDFSCluster c = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    c.waitActive();
    return new Hdfs(c);
  }

  /** e.g. "hdfs://127.0.0.1:40123". */
  public String uri() {
    return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  public FileSystem fileSystem() throws IOException {
    return cluster.getFileSystem();
  }

  /** Copies a local file or directory to {@code hdfsPath} (e.g. "/data/t.parquet"). */
  public void put(Path local, String hdfsPath) throws IOException {
    Configuration conf = cluster.getConfiguration(0);
    FileUtil.copy(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(
        local.toAbsolutePath().toString()), fileSystem(), new org.apache.hadoop.fs.Path(hdfsPath),
        false, conf);
  }

  @Override public void close() {
    cluster.shutdown(true);
  }

  /**
   * {@code Hdfs serve DIR URI_FILE}: serves until killed; {@code Hdfs put LOCAL URI}: copies a
   * local file or directory there; {@code Hdfs cat URI}: prints a file.
   */
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "serve" -> {
        Hdfs h = start(Path.of(args[1]));
        Files.writeString(Path.of(args[2]), h.uri() + "\n");
        System.out.println(h.uri());
        System.out.flush();
        Thread.currentThread().join();
      }
      case "put" -> {
        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(args[2]);
        FileUtil.copy(FileSystem.getLocal(conf), new org.apache.hadoop.fs.Path(
            Path.of(args[1]).toAbsolutePath().toString()), to.getFileSystem(conf), to, false, conf);
      }
      case "cat" -> {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(args[1]);
        System.out.print(HadoopFiles.readString(p.getFileSystem(new Configuration()), p));
      }
      default -> throw new IllegalArgumentException("serve DIR URI_FILE | put LOCAL URI | cat URI");
    }
  }
}
