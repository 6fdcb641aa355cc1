package io.sparkbackprop.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Times Spark jobs of a job group from outside, by a listener: for each job, its end time (the
 * scheduler's timestamp, milliseconds) and the executor CPU time of its tasks (summed over tasks,
 * nanoseconds, as Spark's task metrics report it: deserialisation excluded).
 *
 * <p>MLlib's MLP runs every iteration inside {@code fit()}; each iteration of its
 * {@code GradientDescent} is ONE job whose stages are named "treeAggregate at
 * GradientDescent.scala:...". Spark 4.2 runs maxIter + 1 of them for maxIter iterations (the last
 * also only computes the loss at the final weights), each a full pass over the data. Pass i's wall
 * time is end(i) - end(i - 1), so it includes the driver's work between jobs (broadcast, weight
 * update), as our trainer's per-iteration time does. Pass 1 has no predecessor and also builds
 * MLlib's stacked blocks, so it is never timed. Groups whose name starts with {@code mllib} keep only
 * those jobs; other groups keep every job.
 */
final class JobTimer extends SparkListener {
  /** One job: end time in ms, summed task CPU in ns. */
  record Job(long end, long cpuNanos) {}

  private final Map<Integer, String> groupOfJob = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> jobOfStage = new ConcurrentHashMap<>();
  private final Map<Integer, Long> cpuOfJob = new ConcurrentHashMap<>();
  private final Map<String, List<Job>> jobs = new ConcurrentHashMap<>();

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    String group = e.properties() == null ? null : e.properties().getProperty("spark.jobGroup.id");
    if (group == null || !group.startsWith("bench-")) {
      return;
    }
    boolean gd = false;
    for (StageInfo s : CollectionConverters.asJava(e.stageInfos())) {
      gd |= s.name().startsWith("treeAggregate at GradientDescent");
    }
    if (gd || !group.startsWith("bench-mllib")) {
      groupOfJob.put(e.jobId(), group);
      cpuOfJob.put(e.jobId(), 0L);
      for (StageInfo s : CollectionConverters.asJava(e.stageInfos())) {
        jobOfStage.put(s.stageId(), e.jobId());
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    Integer job = jobOfStage.get(e.stageId());
    if (job != null && e.taskMetrics() != null) {
      cpuOfJob.merge(job, e.taskMetrics().executorCpuTime(), Long::sum);
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd e) {
    String group = groupOfJob.remove(e.jobId());
    if (group != null) {
      long cpu = cpuOfJob.remove(e.jobId());
      jobs.computeIfAbsent(group, g -> Collections.synchronizedList(new ArrayList<>()))
          .add(new Job(e.time(), cpu));
    }
  }

  /**
   * The group's jobs in order of their end, once {@code count} of them have been seen (waiting up
   * to 30 s for the listener bus, which runs behind the scheduler).
   *
   * @throws IllegalStateException when the group has another number of jobs
   */
  List<Job> jobs(String group, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (size(group) < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(50);
    List<Job> live = jobs.getOrDefault(group, List.of());
    List<Job> t;
    synchronized (live) {
      t = new ArrayList<>(live);
    }
    if (t.size() != count) {
      throw new IllegalStateException("job group " + group + ": saw " + t.size()
          + " jobs, expected " + count);
    }
    t.sort((a, b) -> Long.compare(a.end(), b.end()));
    return t;
  }

  private int size(String group) {
    List<Job> l = jobs.get(group);
    return l == null ? 0 : l.size();
  }
}
