package dev.thaw.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/** The {@code mlflow} section: the experiment a sweep's runs go to and the tracking server. */
final class MlflowSection {
  private static final String P = "mlflow";

  private MlflowSection() {}

  /** The settings; the experiment defaults to the sweep's {@code name}. */
  static SweepSpec.Mlflow read(Fields r, ObjectNode root, String name) {
    ObjectNode o = r.object(root, "", P);
    String experiment = o == null ? null : r.text(o, P, "experiment");
    String trackingUri = o == null ? null : r.text(o, P, "tracking_uri");
    if (o != null) {
      r.unknownKeys(o, P, List.of("experiment", "tracking_uri"));
    }
    return new SweepSpec.Mlflow(experiment != null ? experiment : name, trackingUri);
  }

  static void check(SweepSpec.Mlflow mlflow, Checks c) {
    String uri = mlflow.trackingUri();
    if (uri == null) {
      return;
    }
    try {
      if (new URI(uri).getScheme() == null) {
        throw new URISyntaxException(uri, "no scheme");
      }
    } catch (URISyntaxException e) {
      c.add(
          "mlflow.tracking_uri",
          "must be a URI such as http://localhost:5000 or file:///data/mlruns (got '" + uri + "')");
    }
  }
}
