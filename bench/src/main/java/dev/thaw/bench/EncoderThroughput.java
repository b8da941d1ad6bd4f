package dev.thaw.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.json.ThawJson;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.text.BertConfig;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.trial.ParameterName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code encoder-throughput} (issue 19): training samples per second of Thaw's MiniLM
 * encoder ({@code zoo:minilm_l6}: DJL blocks, PyTorch engine) against PyTorch eager with Hugging
 * Face transformers' {@code BertModel} loaded from the same safetensors file, both with masked mean
 * pooling, dropout and a new 3-class head, Adam, on the same batch size, token length and thread
 * count, on random token ids. The two sides alternate in one run, median of the rounds; the
 * reference is the faster of transformers' two attention implementations. Last line: {@code
 * djl_vs_pytorch_minilm: <ratio>} for batch 16 at 64 tokens with nothing frozen (the text-transfer
 * benchmark's shape).
 */
public final class EncoderThroughput {
  private static final int CLASSES = 3;
  private static final int BATCHES = 16;

  /** PyTorch's steps before its clock starts (a fresh process each time). */
  private static final int WARMUP_STEPS = 4;

  /**
   * transformers' attention implementations: {@code sdpa} (its default, PyTorch's fused
   * scaled-dot-product attention) and {@code eager} (matmul, softmax, matmul, as Thaw's blocks).
   * Each round runs both; the faster is the reference.
   */
  private static final List<String> ATTENTION = List.of("sdpa", "eager");

  /**
   * One configuration.
   *
   * @param batch texts per step
   * @param length tokens per text
   * @param freeze freeze depth (g0 the embeddings, g1..g6 the layers)
   * @param steps measured steps per round
   */
  record Row(int batch, int length, int freeze, int steps) {}

  private EncoderThroughput() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int threads = Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads", "2"));
    Path script = Path.of("bench/encoder-throughput/pytorch_eager_minilm.py");
    Path modelDir = ZooSource.MINILM_L6.weights().verifiedPath().getParent();
    Path python;
    try {
      python = BenchPython.forScript(script, "(bench/python-env.sh makes it)");
    } catch (IOException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    List<Row> rows =
        List.of(new Row(16, 64, 0, 16), new Row(16, 64, 4, 16), new Row(32, 128, 0, 4));
    System.out.printf(
        Locale.ROOT,
        "all-MiniLM-L6-v2 (%d layers, hidden %d, %d heads), masked mean pooling, dropout 0.1,"
            + " %d-class head; Adam 1e-3; random token ids, full attention masks; %d threads;"
            + " %d rounds, median%n",
        BertConfig.MINILM_L6.layers(),
        BertConfig.MINILM_L6.hidden(),
        BertConfig.MINILM_L6.heads(),
        CLASSES,
        threads,
        rounds);
    System.out.printf(
        Locale.ROOT,
        "engine %s %s%n",
        Engine.getInstance().getEngineName(),
        Engine.getInstance().getVersion());
    System.out.printf(
        Locale.ROOT,
        "%6s %7s %13s %14s %17s %7s  %s%n",
        "batch",
        "tokens",
        ParameterName.FREEZE_DEPTH.key(),
        "thaw_samples/s",
        "pytorch_samples/s",
        "ratio",
        "pytorch attention (the other)");
    double headline = Double.NaN;
    for (Row row : rows) {
      // One untimed round of Thaw first (allocator, oneDNN primitive caches); every PyTorch process
      // warms up with its first steps.
      thaw(row, BATCHES);
      double[] djl = new double[rounds];
      double[][] torch = new double[ATTENTION.size()][rounds];
      for (int r = 0; r < rounds; r++) {
        djl[r] = thaw(row, row.steps());
        for (int a = 0; a < ATTENTION.size(); a++) {
          torch[a][r] = pytorch(python, script, modelDir, row, threads, ATTENTION.get(a));
        }
      }
      double d = TrainingStepTimer.median(djl);
      // The reference is PyTorch's faster attention for this shape.
      int best = TrainingStepTimer.median(torch[0]) >= TrainingStepTimer.median(torch[1]) ? 0 : 1;
      double t = TrainingStepTimer.median(torch[best]);
      System.out.printf(
          Locale.ROOT,
          "%6d %7d %13d %14.1f %17.1f %7.3f  %s (%s: %.1f)%n",
          row.batch(),
          row.length(),
          row.freeze(),
          d,
          t,
          d / t,
          ATTENTION.get(best),
          ATTENTION.get(1 - best),
          TrainingStepTimer.median(torch[1 - best]));
      if (Double.isNaN(headline) && row.freeze() == 0) {
        headline = d / t;
      }
    }
    System.out.printf(Locale.ROOT, "djl_vs_pytorch_minilm: %.3f%n", headline);
  }

  /** Samples per second of Thaw's training step over {@code steps} batches. */
  static double thaw(Row row, int steps) {
    return TrainingStepTimer.samplesPerSecond(
        SourceModelRef.parse("zoo:minilm_l6"),
        CLASSES,
        row.freeze(),
        0.1,
        (m, n) -> tokens(m, n, row.length()),
        row.batch() * BATCHES,
        row.batch(),
        row.batch() * steps);
  }

  /** N x 2 x L token rows: ids drawn past BERT's special tokens, an attention mask of ones. */
  private static NDArray tokens(NDManager m, int n, int length) {
    NDArray ids =
        m.randomInteger(
            1000, BertConfig.MINILM_L6.vocabulary(), new Shape(n, 1, length), DataType.INT64);
    NDArray mask = m.ones(new Shape(n, 1, length), DataType.INT64);
    return ids.concat(mask, 1);
  }

  /** Samples per second of one PyTorch process: a few warm-up steps, then the row's steps. */
  static double pytorch(
      Path python, Path script, Path modelDir, Row row, int threads, String attention)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            python.toString(),
            script.toString(),
            "--model-dir",
            modelDir.toString(),
            "--batch-size",
            String.valueOf(row.batch()),
            "--length",
            String.valueOf(row.length()),
            "--classes",
            String.valueOf(CLASSES),
            "--threads",
            String.valueOf(threads),
            "--freeze-depth",
            String.valueOf(row.freeze()),
            "--attention",
            attention,
            "--warmup-steps",
            String.valueOf(WARMUP_STEPS),
            "--steps",
            String.valueOf(row.steps()));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IOException(
          "pytorch_eager_minilm.py failed with exit " + p.exitValue() + ": " + out);
    }
    JsonNode json = ThawJson.mapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
    if (!attention.equals(json.path("attention").asText())) {
      throw new IOException(
          "transformers ran attention " + json.path("attention") + ", not " + attention);
    }
    return json.get("samples_per_second").asDouble();
  }
}
