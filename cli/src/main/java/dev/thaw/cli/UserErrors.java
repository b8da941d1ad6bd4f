package dev.thaw.cli;

import dev.thaw.sweep.InvalidSweepException;
import dev.thaw.task.DatasetException;
import dev.thaw.task.ModelLoadException;
import dev.thaw.trial.InvalidTrialSpecException;
import dev.thaw.worker.TrialSourceException;

/** Tells a user's mistake (bad file, bad flag, missing data) from a bug, and words it. */
final class UserErrors {
  private UserErrors() {}

  static boolean isUserError(Throwable e) {
    return e instanceof InvalidTrialSpecException
        || e instanceof InvalidSweepException
        || e instanceof DatasetException
        || e instanceof ModelLoadException
        || e instanceof TrialSourceException
        || e instanceof IllegalArgumentException
        || (e instanceof OrchestratorException o && o.userError());
  }

  static String describe(Throwable e) {
    if (isUserError(e)) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
