package dev.thaw.task;

import java.util.List;
import java.util.Optional;

/**
 * Which data and model locations a host serves. An orchestrator confines sweeps to configured roots
 * ({@code InputPolicy} in the worker module); a user's local check admits everything. Admitting
 * reads nothing.
 */
public interface InputAdmission {
  /**
   * @param field the field as the caller names it, e.g. {@code task.source_model}
   * @throws InputRefusedException when the source model is outside what this host serves
   * @throws ModelLoadException when the text names no source model
   */
  void admitSourceModel(String field, String sourceModel);

  /**
   * @param field the field as the caller names it, e.g. {@code task.target.dataset}
   * @throws InputRefusedException when the dataset is outside what this host serves
   * @throws DatasetException when the text names no dataset
   */
  void admitDataset(String field, String dataset);

  /**
   * The columns of a table dataset ({@code csv:}, {@code jsonl:}), read from its header or first
   * line after admitting it, so a sweep can name a missing text or label column before any trial
   * runs; empty when the dataset is no table or this host reads no data (the default).
   *
   * @throws InputRefusedException when the dataset is outside what this host serves
   * @throws DatasetException when the table cannot be read
   */
  default Optional<List<String>> tableColumns(String field, String dataset) {
    return Optional.empty();
  }

  /** Admits every location as given. */
  static InputAdmission everything() {
    return new InputAdmission() {
      @Override
      public void admitSourceModel(String field, String sourceModel) {}

      @Override
      public void admitDataset(String field, String dataset) {}

      @Override
      public String toString() {
        return "everything";
      }
    };
  }
}
