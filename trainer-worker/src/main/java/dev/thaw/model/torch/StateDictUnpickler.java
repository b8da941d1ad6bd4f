package dev.thaw.model.torch;

import dev.thaw.task.ModelLoadException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Razorvine's unpickler, narrowed to what a state dict holds. Like {@code torch.load(...,
 * weights_only=True)} it resolves only the globals a state dict needs ({@code
 * collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2} and {@code _rebuild_parameter},
 * the {@code torch.*Storage} types, {@code torch.Size}); any other global is an error naming it,
 * and nothing is executed. Dicts keep their keys' order, a length prefix larger than the bytes left
 * is an error rather than an allocation, tensors come out as {@link TensorRef}s and persistent ids
 * as {@link StorageRef}s, resolved by the file format.
 */
final class StateDictUnpickler extends Unpickler {

  /** Turns a persistent id, a tuple starting with {@code 'storage'}, into a storage. */
  interface PersistentIds {
    /** Throws {@link PickleException} saying what is wrong with {@code pid}. */
    StorageRef resolve(Object[] pid);
  }

  /** A {@code torch.*Storage} global; a persistent id names one, nothing calls it. */
  record StorageType(TorchDType dtype) implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
      throw new PickleException(
          "calls torch." + dtype.storageType() + ", which state dicts never do");
    }
  }

  /** One of the callables a state dict's pickle calls, by its qualified Python name. */
  record Global(String name, IObjectConstructor body) implements IObjectConstructor {
    @Override
    public Object construct(Object[] args) {
      return body.construct(args);
    }
  }

  private static final Map<String, Global> GLOBALS =
      Stream.of(
              new Global("collections.OrderedDict", StateDictUnpickler::orderedDict),
              new Global("torch._utils._rebuild_tensor_v2", StateDictUnpickler::rebuildTensor),
              new Global("torch._utils._rebuild_parameter", StateDictUnpickler::rebuildParameter),
              new Global("torch.Size", StateDictUnpickler::size))
          .collect(Collectors.toUnmodifiableMap(Global::name, Function.identity()));

  private final Path file;
  private final String entry;
  private final PickleInput in;
  private final PersistentIds ids;
  private long opcodeStart;

  /**
   * @param entry the zip entry the pickle is in, for messages; null for the legacy format, whose
   *     positions are the file's
   */
  StateDictUnpickler(Path file, String entry, PickleInput in, PersistentIds ids) {
    this.file = file;
    this.entry = entry;
    this.in = in;
    this.ids = ids;
  }

  /** Reads the next pickle from the input. */
  Object next() {
    opcodeStart = in.position();
    try {
      return load(in);
    } catch (ModelLoadException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (in.remaining() == 0) {
        throw new ModelLoadException(
            "%s is truncated: the pickle ends early (%s, the end of the %s)"
                .formatted(file, where(in.position()), entry == null ? "file" : "entry"),
            e);
      }
      throw new ModelLoadException(
          "%s holds a pickle that is not a state dict's, at %s: %s"
              .formatted(
                  file,
                  where(opcodeStart),
                  e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    }
  }

  /** "byte offset 1,234" or "byte 12 of zip entry 'archive/data.pkl'". */
  String where(long position) {
    return entry == null
        ? String.format(Locale.ROOT, "byte offset %,d", position)
        : String.format(Locale.ROOT, "byte %,d of zip entry '%s'", position, entry);
  }

  @Override
  protected Object dispatch(short key) throws IOException {
    opcodeStart = in.position() - 1;
    switch (key) {
      case Opcodes.GLOBAL -> {
        String module = PickleUtils.readline(in);
        stack.add(global(module, PickleUtils.readline(in)));
      }
      case Opcodes.STACK_GLOBAL -> {
        Object name = stack.pop();
        Object module = stack.pop();
        if (!(module instanceof String m && name instanceof String n)) {
          throw new PickleException("STACK_GLOBAL of a non-string name");
        }
        stack.add(global(m, n));
      }
      case Opcodes.INST -> {
        String module = PickleUtils.readline(in);
        throw forbidden(module + "." + PickleUtils.readline(in));
      }
      case Opcodes.BUILD -> build();
      case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
      case Opcodes.DICT -> stack.add(putAll(new LinkedHashMap<>(), stack.pop_all_since_marker()));
      case Opcodes.SETITEMS -> {
        List<Object> items = stack.pop_all_since_marker();
        if (!(stack.peek() instanceof Map<?, ?> map)) {
          throw new PickleException("SETITEMS on " + describe(stack.peek()));
        }
        putAll(map, items);
      }
      case Opcodes.BINUNICODE -> stack.add(new String(counted(4), StandardCharsets.UTF_8));
      case Opcodes.BINUNICODE8 -> stack.add(new String(counted(8), StandardCharsets.UTF_8));
      case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(counted(4)));
      case Opcodes.BINBYTES -> stack.add(counted(4));
      case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> stack.add(counted(8));
      case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(counted(4)));
      default -> {
        return super.dispatch(key);
      }
    }
    return NO_RETURN_VALUE;
  }

  @Override
  protected Object persistentLoad(Object pid) {
    if (!(pid instanceof Object[] tuple) || tuple.length == 0 || !"storage".equals(tuple[0])) {
      throw new PickleException(
          "a persistent id that is not a ('storage', ...) tuple but " + describe(pid));
    }
    return ids.resolve(tuple);
  }

  private IObjectConstructor global(String module, String name) {
    String qualified = module + "." + name;
    IObjectConstructor allowed = GLOBALS.get(qualified);
    if (allowed != null) {
      return allowed;
    }
    if (module.equals("torch") && name.endsWith("Storage")) {
      return TorchDType.ofStorageType(name)
          .map(StorageType::new)
          .orElseThrow(
              () ->
                  new ModelLoadException(
                      "%s holds a %s, an element type this reader does not support (%s)"
                          .formatted(file, qualified, where(opcodeStart))));
    }
    throw forbidden(qualified);
  }

  private ModelLoadException forbidden(String qualified) {
    return new ModelLoadException(
        ("%s holds an object of type '%s', which a state dict never holds; only tensors are"
                + " read (%s)")
            .formatted(file, qualified, where(opcodeStart)));
  }

  /** Python sets an OrderedDict's {@code _metadata} this way; nothing else in a state dict. */
  private void build() {
    Object state = stack.pop();
    Object target = stack.peek();
    if (!(target instanceof Map<?, ?>) || !(state == null || state instanceof Map<?, ?>)) {
      throw new PickleException(
          "BUILD sets the state of %s to %s".formatted(describe(target), describe(state)));
    }
  }

  /** Reads a length prefix of {@code width} bytes and as many bytes, if the input has them. */
  private byte[] counted(int width) throws IOException {
    byte[] prefix = PickleUtils.readbytes(in, width);
    long length =
        width == 4 ? PickleUtils.bytes_to_integer(prefix) : PickleUtils.bytes_to_long(prefix, 0);
    if (length < 0 || length > in.remaining()) {
      throw new PickleException(
          String.format(
              Locale.ROOT,
              "a length of %,d bytes where %,d are left",
              length,
              Math.max(0, in.remaining())));
    }
    return PickleUtils.readbytes(in, (int) length);
  }

  private static <K, V> Map<K, V> putAll(Map<K, V> map, List<Object> keysAndValues) {
    if (keysAndValues.size() % 2 != 0) {
      throw new PickleException("an odd number of dict keys and values");
    }
    @SuppressWarnings("unchecked")
    Map<Object, Object> target = (Map<Object, Object>) map;
    for (int i = 0; i < keysAndValues.size(); i += 2) {
      target.put(keysAndValues.get(i), keysAndValues.get(i + 1));
    }
    return map;
  }

  private static Object orderedDict(Object[] args) {
    if (args.length != 0) {
      throw new PickleException("OrderedDict built from " + args.length + " arguments, not 0");
    }
    return new LinkedHashMap<>();
  }

  /**
   * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, hooks[,
   * metadata])}.
   */
  private static Object rebuildTensor(Object[] args) {
    if (args.length != 6 && args.length != 7) {
      throw new PickleException(
          "_rebuild_tensor_v2 with " + args.length + " arguments, not 6 or 7");
    }
    if (!(args[0] instanceof StorageRef storage)) {
      throw new PickleException(
          "_rebuild_tensor_v2 of " + describe(args[0]) + ", not of a storage");
    }
    long[] size = longs(args[2], "size");
    long[] stride = longs(args[3], "stride");
    if (size.length != stride.length) {
      throw new PickleException(
          "a tensor of %d dimensions with %d strides".formatted(size.length, stride.length));
    }
    return new TensorRef(storage, toLong(args[1], "storage_offset"), size, stride);
  }

  /** {@code _rebuild_parameter(data, requires_grad, backward_hooks)}: the data is the tensor. */
  private static Object rebuildParameter(Object[] args) {
    if (args.length != 3 || !(args[0] instanceof TensorRef tensor)) {
      throw new PickleException("_rebuild_parameter of something other than a tensor");
    }
    return tensor;
  }

  private static Object size(Object[] args) {
    if (args.length != 1) {
      throw new PickleException("torch.Size with " + args.length + " arguments, not 1");
    }
    longs(args[0], "torch.Size");
    return args[0];
  }

  private static long[] longs(Object tuple, String what) {
    if (!(tuple instanceof Object[] items)) {
      throw new PickleException(
          "a tensor " + what + " that is " + describe(tuple) + ", not a tuple");
    }
    long[] values = new long[items.length];
    for (int i = 0; i < items.length; i++) {
      values[i] = toLong(items[i], what);
    }
    return values;
  }

  /** An int of the pickle as a long; Python ints too large for one are an error. */
  static long toLong(Object value, String what) {
    return switch (value) {
      case Integer i -> i;
      case Long l -> l;
      default -> throw new PickleException(what + " is " + describe(value) + ", not an int64");
    };
  }

  /** An unpickled value's Python type with its article, e.g. "an int", for messages. */
  static String describe(Object value) {
    return switch (value) {
      case null -> "None";
      case String s -> "a str";
      case Integer i -> "an int";
      case Long l -> "an int";
      case BigInteger b -> "an int beyond int64";
      case Double d -> "a float";
      case Boolean b -> "a bool";
      case byte[] b -> "bytes";
      case Object[] t -> "a tuple";
      case List<?> l -> "a list";
      case Map<?, ?> m -> "a dict";
      case TensorRef t -> "a tensor";
      case StorageRef s -> "a storage";
      case StorageType t -> "the class torch." + t.dtype().storageType();
      case Global g -> "the function " + g.name();
      default -> "a " + value.getClass().getSimpleName();
    };
  }
}
