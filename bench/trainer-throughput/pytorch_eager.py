#!/usr/bin/env python3
"""PyTorch-eager reference for Thaw's bench/trainer-throughput.

Two modes:

* benchmark (default): trains Thaw's ``thaw-cnn`` architecture (or, with
  ``--model mobilenet_v2 --weights PTH``, torchvision's MobileNetV2 with Thaw's
  packaged ImageNet weights and a new head) on random data
  for --warmup-steps + --steps Adam steps and prints ONE JSON line on stdout:
  {"framework": "pytorch-eager", "torch_version": ..., "samples_per_second": ...,
   "step_ms_p50": ..., "batch_size": ..., "threads": ..., "width": ...,
   "freeze_depth": ..., "steps": ...}
  A human-readable summary goes to stderr.

* --export-torchscript PATH: builds the same model (seeded by --seed), scripts
  the BACKBONE ONLY (g0..g3, output = 4*width features), saves it to PATH and
  writes PATH + ".thaw.json" describing its layer groups. No benchmarking.

Data: a pool of N = 16 * batch_size samples of shape (C, H, W), drawn from a
standard normal distribution, with labels uniform in [0, K), generated once
with torch.manual_seed(--seed); step i uses batch (i mod 16) of that pool, so
no data generation or loading is inside the timed region.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time
import warnings
from collections import OrderedDict

# PyTorch warns once at import/first use that NumPy is missing; NumPy is not
# needed here, so keep stderr clean.
warnings.filterwarnings("ignore", message="Failed to initialize NumPy")

import torch  # noqa: E402
from torch import nn  # noqa: E402

GROUPS = ("g0", "g1", "g2", "g3")
DATA_POOL_BATCHES = 16


def build_backbone(channels: int, width: int) -> nn.Sequential:
    """g0..g3 of thaw-cnn; maps (N, C, H, W) -> (N, 4*width)."""
    w = width
    return nn.Sequential(OrderedDict([
        ("g0", nn.Sequential(
            nn.Conv2d(channels, w, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2))),
        ("g1", nn.Sequential(
            nn.Conv2d(w, 2 * w, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2))),
        ("g2", nn.Sequential(
            nn.Conv2d(2 * w, 4 * w, kernel_size=3, padding=1),
            nn.ReLU())),
        ("g3", nn.Sequential(
            nn.Conv2d(4 * w, 4 * w, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),   # global average pool
            nn.Flatten())),            # -> (N, 4w)
    ]))


class ThawCnn(nn.Module):
    def __init__(self, channels: int, width: int, classes: int, dropout: float):
        super().__init__()
        self.backbone = build_backbone(channels, width)
        self.head = nn.Sequential(OrderedDict([
            ("dropout", nn.Dropout(p=dropout)),
            ("linear", nn.Linear(4 * width, classes)),
        ]))

    def forward(self, x):
        return self.head(self.backbone(x))


def freeze(model: ThawCnn, depth: int) -> None:
    """Freeze layer groups g0..g(depth-1)."""
    for name in GROUPS[:depth]:
        for p in getattr(model.backbone, name).parameters():
            p.requires_grad_(False)


# MobileNetV2's layer groups as Thaw cuts torchvision's `features` (dev.thaw.model.zoo.MobileNetV2):
# stem, the seven bottleneck stages, the final 1x1 convolution.
MOBILENET_GROUPS = ((0, 1), (1, 2), (2, 4), (4, 7), (7, 11), (11, 14), (14, 17), (17, 18), (18, 19))
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class NormalisedMobileNetV2(nn.Module):
    """torchvision's MobileNetV2 with the packaged ImageNet weights, a new head for `classes`, and
    ImageNet mean/std normalisation of [0, 1] input inside the step, as Thaw's network does it."""

    def __init__(self, weights: str, classes: int, dropout: float):
        super().__init__()
        import torchvision  # only this mode needs it
        self.net = torchvision.models.mobilenet_v2()
        self.net.load_state_dict(torch.load(weights))
        self.net.classifier = nn.Sequential(nn.Dropout(p=dropout), nn.Linear(1280, classes))
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("inv_std", 1 / torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))

    def forward(self, x):
        return self.net((x - self.mean) * self.inv_std)

    def freeze(self, depth: int) -> None:
        """Groups g0..g(depth-1) frozen: no gradients, and BatchNorm in eval mode (as Thaw)."""
        for lo, hi in MOBILENET_GROUPS[:depth]:
            for module in self.net.features[lo:hi]:
                module.eval()
                for p in module.parameters():
                    p.requires_grad_(False)


def percentile(values, q):
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _proc_stat():
    """(total, busy) CPU seconds of the whole machine since boot, or None."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        hz = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    total = sum(v[:8])  # user nice system idle iowait irq softirq steal
    return total / hz, (total - v[3] - v[4]) / hz


class OtherLoad:
    """Cores kept busy by OTHER processes over an interval: machine busy time
    (/proc/stat) minus this process's own CPU time, divided by wall time."""

    def __enter__(self):
        self.m0, self.o0, self.w0 = _proc_stat(), os.times(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        m1, o1, w1 = _proc_stat(), os.times(), time.perf_counter()
        self.cores = None
        if self.m0 is not None and m1 is not None and w1 > self.w0:
            own = (o1.user + o1.system) - (self.o0.user + self.o0.system)
            self.cores = max(0.0, ((m1[1] - self.m0[1]) - own) / (w1 - self.w0))
        return False


def warn_if_busy(cores, when, threads):
    if cores is not None and cores > 0.25:
        print(f"[pytorch-eager] WARNING: {when}, other processes kept ~{cores:.1f} of "
              f"{os.cpu_count()} cores busy; with --threads {threads} the numbers are "
              "unreliable (OpenMP threads get descheduled)", file=sys.stderr)


def set_threads(threads: int) -> None:
    # Inter-op pool must be sized before any parallel work starts.
    torch.set_num_interop_threads(1)
    torch.set_num_threads(threads)


def benchmark(args) -> dict:
    with OtherLoad() as before:
        time.sleep(0.5)
    warn_if_busy(before.cores, "before the run", args.threads)
    set_threads(args.threads)
    torch.manual_seed(args.seed)

    if args.model == "mobilenet_v2":
        model = NormalisedMobileNetV2(args.weights, args.classes, args.dropout)
        model.train()
        model.freeze(args.freeze_depth)
    else:
        model = ThawCnn(args.channels, args.width, args.classes, args.dropout)
        freeze(model, args.freeze_depth)
        model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(trainable, lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    n = DATA_POOL_BATCHES * args.batch_size
    features = (torch.rand if args.model == "mobilenet_v2" else torch.randn)(
        n, args.channels, args.size, args.size)
    labels = torch.randint(0, args.classes, (n,), dtype=torch.int64)
    batches = [(features[i:i + args.batch_size], labels[i:i + args.batch_size])
               for i in range(0, n, args.batch_size)]

    def step(i):
        x, y = batches[i % len(batches)]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    for i in range(args.warmup_steps):
        step(i)

    step_s = []
    loss = None
    with OtherLoad() as during:
        for i in range(args.warmup_steps, args.warmup_steps + args.steps):
            t0 = time.perf_counter()
            loss = step(i)
            step_s.append(time.perf_counter() - t0)
    total = sum(step_s)
    warn_if_busy(during.cores, "during the timed steps", args.threads)

    result = {
        "framework": "pytorch-eager",
        "torch_version": torch.__version__,
        "samples_per_second": round(args.batch_size * args.steps / total, 2),
        "step_ms_p50": round(percentile(step_s, 0.5) * 1e3, 3),
        "batch_size": args.batch_size,
        "threads": args.threads,
        "model": args.model,
        "width": args.width,
        "freeze_depth": args.freeze_depth,
        "steps": args.steps,
    }
    print(
        f"[pytorch-eager] input {args.channels}x{args.size}x{args.size} classes={args.classes} "
        f"trainable params={sum(p.numel() for p in trainable)} "
        f"step ms p50={percentile(step_s, 0.5) * 1e3:.2f} p90={percentile(step_s, 0.9) * 1e3:.2f} "
        f"mean={statistics.fmean(step_s) * 1e3:.2f} last loss={loss.item():.4f} "
        f"torch threads={torch.get_num_threads()} interop={torch.get_num_interop_threads()} "
        f"other-process load during timing={'n/a' if during.cores is None else f'{during.cores:.2f} cores'}",
        file=sys.stderr)
    return result


def export_torchscript(args) -> None:
    set_threads(args.threads)
    torch.manual_seed(args.seed)
    model = ThawCnn(args.channels, args.width, args.classes, args.dropout)
    backbone = model.backbone
    backbone.train()  # no dropout/batch-norm in the backbone: mode is irrelevant
    scripted = torch.jit.script(backbone)

    out_dir = os.path.dirname(os.path.abspath(args.export_torchscript))
    os.makedirs(out_dir, exist_ok=True)
    scripted.save(args.export_torchscript)

    # Parameter-name prefixes per group, as the saved TorchScript module
    # reports them (e.g. "g0.0.weight" -> prefix "g0.0.").
    loaded = torch.jit.load(args.export_torchscript)
    names = [name for name, _ in loaded.named_parameters()]
    layer_groups = []
    for group in GROUPS:
        prefixes = []
        for name in names:
            if name.startswith(group + "."):
                prefix = name.rsplit(".", 1)[0] + "."
                if prefix not in prefixes:
                    prefixes.append(prefix)
        if not prefixes:
            raise SystemExit(f"no parameters found for group {group} in {names}")
        layer_groups.append({"name": group, "parameter_prefixes": prefixes})
    covered = [n for n in names
               if any(n.startswith(p) for g in layer_groups for p in g["parameter_prefixes"])]
    if covered != names:
        raise SystemExit(f"parameters not assigned to a group: {set(names) - set(covered)}")

    feature_size = 4 * args.width
    with torch.no_grad():
        out = loaded(torch.zeros(2, args.channels, args.size, args.size))
    if tuple(out.shape) != (2, feature_size):
        raise SystemExit(f"unexpected backbone output shape {tuple(out.shape)}")

    sidecar = {
        "format": "torchscript",
        "layer_groups": layer_groups,
        "feature_size": feature_size,
        "input_shape": [args.channels, args.size, args.size],
    }
    with open(args.export_torchscript + ".thaw.json", "w") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")
    print(f"[pytorch-eager] wrote {args.export_torchscript} (torch {torch.__version__}, "
          f"seed {args.seed}); parameters: "
          + ", ".join(f"{n}{list(p.shape)}" for n, p in loaded.named_parameters()),
          file=sys.stderr)
    print(json.dumps(sidecar))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=("thaw-cnn", "mobilenet_v2"), default="thaw-cnn",
                   help="thaw-cnn (default) or torchvision's mobilenet_v2 with --weights")
    p.add_argument("--weights", metavar="PTH",
                   help="mobilenet_v2's state dict (Thaw's zoo file, ./thaw models fetch)")
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--size", type=int, default=28, help="input height = width")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--threads", type=int, default=2,
                   help="torch.set_num_threads; inter-op threads are always 1")
    p.add_argument("--freeze-depth", type=int, default=0,
                   help="freeze groups g0..g(k-1) (0..4)")
    p.add_argument("--dropout", type=float, default=0.2)
    p.add_argument("--warmup-steps", type=int, default=20)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--export-torchscript", metavar="PATH",
                   help="export the scripted backbone to PATH (+ PATH.thaw.json) instead of benchmarking")
    args = p.parse_args(argv)
    groups = MOBILENET_GROUPS if args.model == "mobilenet_v2" else GROUPS
    if not 0 <= args.freeze_depth <= len(groups):
        p.error(f"--freeze-depth must be in 0..{len(groups)}")
    if args.model == "mobilenet_v2" and (not args.weights or args.channels != 3):
        p.error("--model mobilenet_v2 needs --weights PTH and --channels 3")
    for name in ("width", "channels", "size", "classes", "batch_size", "threads", "steps"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be >= 1")
    if args.warmup_steps < 0:
        p.error("--warmup-steps must be >= 0")
    if args.size < 4:
        p.error("--size must be >= 4 (two 2x2 max-pools)")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.export_torchscript:
        export_torchscript(args)
    else:
        print(json.dumps(benchmark(args)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
