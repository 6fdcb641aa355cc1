package io.sparkbackprop.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.StageInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Times MLlib's gradient-descent iterations from outside: MLlib's MLP runs every iteration inside
 * {@code fit()}, and each iteration of its {@code GradientDescent} is ONE Spark job whose stage is
 * named "treeAggregate at GradientDescent.scala:...". Spark 4.2 runs maxIter + 1 of them for maxIter
 * iterations (the last one only for the loss at the final weights), each a full pass over the data.
 * The listener keeps, per job group, the end
 * times of those jobs (scheduler timestamps, milliseconds); iteration i's time is end(i) - end(i-1),
 * so it includes the driver's work between jobs (broadcast, weight update), as our trainer's
 * per-iteration time does. Iteration 1 has no predecessor and also builds MLlib's stacked blocks,
 * so it is never timed.
 */
final class MllibTimer extends SparkListener {
  private final Map<Integer, String> groupOfJob = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> ends = new ConcurrentHashMap<>();

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    String group = e.properties() == null ? null : e.properties().getProperty("spark.jobGroup.id");
    if (group == null) {
      return;
    }
    boolean gd = false;
    for (StageInfo s : CollectionConverters.asJava(e.stageInfos())) {
      gd |= s.name().startsWith("treeAggregate at GradientDescent");
    }
    if (gd) {
      groupOfJob.put(e.jobId(), group);
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd e) {
    String group = groupOfJob.remove(e.jobId());
    if (group != null) {
      ends.computeIfAbsent(group, g -> Collections.synchronizedList(new ArrayList<>()))
          .add(e.time());
    }
  }

  /**
   * Seconds of passes 2..count + 1 of the group's GD jobs (count = maxIter), waiting (up to 30 s) for the listener
   * bus, which runs behind the scheduler.
   */
  List<Double> iterationSeconds(String group, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (size(group) < count + 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    List<Long> live = ends.getOrDefault(group, List.of());
    List<Long> t;
    synchronized (live) {
      t = new ArrayList<>(live);
    }
    if (t.size() != count + 1) {
      throw new IllegalStateException("MLlib job group " + group + ": saw " + t.size()
          + " gradient-descent jobs, expected " + (count + 1));
    }
    t.sort(Long::compare);
    List<Double> s = new ArrayList<>();
    for (int i = 1; i < t.size(); i++) {
      s.add((t.get(i) - t.get(i - 1)) / 1e3);
    }
    return s;
  }

  private int size(String group) {
    List<Long> l = ends.get(group);
    return l == null ? 0 : l.size();
  }
}
