package dev.thaw.orchestrator.schedules;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;

/** A Quartz job that records which scheduler instance ran each scheduled fire time. */
public class CountingJob implements Job {
  /** Scheduled fire time (epoch ms) to the instances that ran it, per job name. */
  static final Map<String, Map<Long, List<String>>> RUNS = new ConcurrentHashMap<>();

  @Override
  public void execute(JobExecutionContext context) {
    String instance;
    try {
      instance = context.getScheduler().getSchedulerInstanceId();
    } catch (SchedulerException e) {
      instance = "unknown";
    }
    RUNS.computeIfAbsent(context.getJobDetail().getKey().getName(), k -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            context.getScheduledFireTime().getTime(), k -> new CopyOnWriteArrayList<>())
        .add(instance);
  }

  static Map<Long, List<String>> runs(String job) {
    return RUNS.getOrDefault(job, Map.of());
  }
}
