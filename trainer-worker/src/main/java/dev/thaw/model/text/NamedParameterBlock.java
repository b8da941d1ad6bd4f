package dev.thaw.model.text;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import dev.thaw.model.nn.InferenceModeSwitch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A BERT block whose parameters carry Hugging Face's names and fixed shapes, so that a safetensors
 * file loads into it tensor by tensor ({@link SafetensorsWeights}); weights start as BERT's, normal
 * with standard deviation 0.02. It can be held in inference mode (no dropout while training), as
 * Thaw holds the blocks of frozen groups.
 */
abstract class NamedParameterBlock extends AbstractBlock implements InferenceModeSwitch {
  private final SequencedMap<String, Parameter> named = new LinkedHashMap<>();
  private final SequencedMap<String, Shape> shapes = new LinkedHashMap<>();
  private volatile boolean inferenceMode;

  /** Adds a parameter named {@code name} of that shape. */
  protected final Parameter add(String name, Parameter.Type type, Shape shape) {
    Parameter.Builder b = Parameter.builder().setName(name).setType(type);
    if (type == Parameter.Type.WEIGHT) {
      b.optInitializer(new NormalInitializer(0.02f));
    }
    Parameter p = addParameter(b.build());
    named.put(name, p);
    shapes.put(name, shape);
    return p;
  }

  /** The parameters by their Hugging Face names relative to the block, in build order. */
  public Map<String, Parameter> namedParameters() {
    return named;
  }

  /** The shape each parameter must have, by the same names. */
  public Map<String, Shape> shapes() {
    return shapes;
  }

  /** Whether dropout applies: in training, unless held in inference mode. */
  protected final boolean drops(boolean training) {
    return training && !inferenceMode;
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    named.forEach((name, p) -> p.setShape(shapes.get(name)));
  }

  @Override
  public void useInferenceMode(boolean on) {
    inferenceMode = on;
  }
}
