package dev.thaw.sweep;

import static dev.thaw.sweep.Fields.orDefault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.text.Suggestions;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.quartz.CronExpression;

/** The {@code schedule} section: when a nightly sweep runs and how it treats its last best. */
final class ScheduleSection {
  private static final List<String> KEYS =
      List.of("cron", "time_zone", "overlap", "warm_start", "regression_threshold");
  private static final String P = "schedule";

  private ScheduleSection() {}

  /** The schedule with its defaults, or null when the section is absent. */
  static SweepSpec.Schedule read(Fields r, ObjectNode root) {
    ObjectNode o = r.section(root, P, KEYS);
    if (o == null) {
      return null;
    }
    String cron = r.text(o, P, "cron");
    if (cron == null && !Fields.present(o, "cron")) {
      r.error("schedule.cron", "required: a Quartz cron expression, e.g. \"0 0 2 * * ?\"");
    }
    String zone = r.text(o, P, "time_zone");
    SweepSpec.Overlap overlap = SweepSpec.Overlap.SKIP;
    String overlapText = r.text(o, P, "overlap");
    if (overlapText != null) {
      List<String> known =
          Arrays.stream(SweepSpec.Overlap.values()).map(SweepSpec.Overlap::key).toList();
      if (known.contains(overlapText)) {
        overlap = SweepSpec.Overlap.valueOf(overlapText.toUpperCase(Locale.ROOT));
      } else {
        r.error(
            "schedule.overlap",
            "must be one of "
                + String.join(", ", known)
                + " (got '"
                + overlapText
                + "')"
                + Suggestions.didYouMean(overlapText, known));
      }
    }
    Double threshold = r.number(o, P, "regression_threshold");
    return new SweepSpec.Schedule(
        cron,
        zone == null ? "UTC" : zone,
        overlap,
        orDefault(r.integer(o, P, "warm_start"), SweepSpec.Schedule.DEFAULT_WARM_START),
        threshold == null ? SweepSpec.Schedule.DEFAULT_REGRESSION_THRESHOLD : threshold);
  }

  static void check(SweepSpec.Schedule s, Checks c) {
    if (s == null) {
      return;
    }
    c.atLeast("schedule.warm_start", s.warmStart(), 0);
    if (!(s.regressionThreshold() >= 0) || Double.isInfinite(s.regressionThreshold())) {
      c.add(
          "schedule.regression_threshold",
          "must be a finite number >= 0 (got " + Shown.number(s.regressionThreshold()) + ")");
    }
    if (s.cron() != null && !CronExpression.isValidExpression(s.cron())) {
      String reason;
      try {
        new CronExpression(s.cron());
        reason = "invalid";
      } catch (ParseException e) {
        reason = e.getMessage();
      }
      c.add(
          "schedule.cron",
          "not a Quartz cron expression: "
              + reason
              + " (got '"
              + s.cron()
              + "'); use 6 or 7 fields, seconds first, e.g. \"0 0 2 * * ?\" for 02:00 daily");
    }
    try {
      ZoneId.of(s.timeZone());
    } catch (DateTimeException e) {
      c.add(
          "schedule.time_zone",
          "unknown time zone '"
              + s.timeZone()
              + "'"
              + Suggestions.didYouMean(s.timeZone(), ZoneId.getAvailableZoneIds())
              + " (use an IANA id such as Europe/Berlin or UTC)");
    }
  }
}
