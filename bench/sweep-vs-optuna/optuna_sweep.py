#!/usr/bin/env python3
"""Optuna's side of Thaw's `./thaw bench sweep-vs-optuna`.

Reads a job (JSON, written by dev.thaw.bench.SweepVsOptunaPython): the exported training and
validation images and labels (.npy, uint8 N x 3 x H x W after Thaw's resizing, before
normalisation; int64 labels) with their shapes and SHA-256 digests, the configurations, and the
fixed settings. Checks the data, then runs an Optuna study with every configuration enqueued
(`study.enqueue_trial`, so the sampler proposes nothing of its own), one trial after another, each
fine-tuning torchvision's MobileNetV2 with Thaw's packaged ImageNet weights in PyTorch eager mode:

* the model of bench/trainer-throughput/pytorch_eager.py (`NormalisedMobileNetV2`: ImageNet
  normalisation inside, Thaw's nine layer groups, frozen groups without gradients and with their
  BatchNorm in eval mode), a new head of dropout and a linear layer initialised as Thaw's (normal,
  sigma 0.01; zero bias);
* Adam (betas 0.9/0.999, eps 1e-8, no weight decay) with one parameter group per trained layer
  group at the rate Thaw's slice gives it (the job carries Thaw's rates; recomputed here and
  compared) and the head's rate;
* a shuffled pass over the training images per epoch (the last batch partial, as Thaw), then an
  evaluation pass in eval mode; the trial's value is its best epoch's validation accuracy.

Prints on stdout one `trial {json}` line per trial, then `study {json}` (wall seconds of the
study, from its creation to its end, data already in memory) and `versions {json}`. Progress goes
to stderr.
"""
import hashlib
import json
import math
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "trainer-throughput"))
from pytorch_eager import MOBILENET_GROUPS, NormalisedMobileNetV2  # noqa: E402


def load_checked(spec):
    """The array of one exported file, after checking its shape and digest against the job."""
    a = np.load(spec["path"])
    if list(a.shape) != spec["shape"]:
        raise SystemExit(f"{spec['path']}: shape {list(a.shape)}, expected {spec['shape']}")
    digest = hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()
    if digest != spec["sha256"]:
        raise SystemExit(f"{spec['path']}: sha256 {digest}, expected {spec['sha256']}")
    return a


def slice_rates(lo, hi, groups):
    """Thaw's geometric slice (BackboneLearningRates.Slice): lo at g0, hi at g(n-1)."""
    return [lo * math.pow(hi / lo, (i / (groups - 1)) if groups > 1 else 1.0) for i in range(groups)]


def main():
    job = json.load(open(sys.argv[1]))
    torch.set_num_interop_threads(1)
    torch.set_num_threads(job["threads"])
    import optuna  # noqa: E402
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    d = job["data"]
    train_x = torch.from_numpy(load_checked(d["train_x"]))
    train_y = torch.from_numpy(load_checked(d["train_y"]))
    val_x = torch.from_numpy(load_checked(d["val_x"]))
    val_y = torch.from_numpy(load_checked(d["val_y"]))
    print(f"[optuna] data checked: train {tuple(train_x.shape)}, validation {tuple(val_x.shape)}, "
          "sha256 as exported", file=sys.stderr)

    configs = job["configs"]
    groups = len(MOBILENET_GROUPS)
    by_key = {}
    for c in configs:
        rates = slice_rates(c["slice_lo"], c["slice_hi"], groups)
        if any(abs(a - b) > 1e-12 * b for a, b in zip(rates, c["group_rates"])):
            raise SystemExit(f"slice rates differ from Thaw's: {rates} vs {c['group_rates']}")
        by_key[(c["freeze_depth"], c["lr_head"], c["slice_lo"], c["slice_hi"])] = c
    choices = {
        name: sorted({c[name] for c in configs})
        for name in ("freeze_depth", "lr_head", "slice_lo", "slice_hi")
    }
    epochs, batch, eval_batch = job["epochs"], job["batch_size"], job["eval_batch"]
    loss_fn = nn.CrossEntropyLoss()

    def objective(trial):
        t0 = time.perf_counter()
        key = tuple(trial.suggest_categorical(name, choices[name]) for name in choices)
        c = by_key[key]
        k = c["freeze_depth"]
        torch.manual_seed(c["seed"])
        model = NormalisedMobileNetV2(job["weights"], job["classes"], job["dropout"])
        linear = model.net.classifier[1]
        nn.init.normal_(linear.weight, 0.0, 0.01)
        nn.init.zeros_(linear.bias)
        param_groups = []
        for i in range(k, groups):
            lo, hi = MOBILENET_GROUPS[i]
            params = [p for m in model.net.features[lo:hi] for p in m.parameters()]
            param_groups.append({"params": params, "lr": c["group_rates"][i]})
        param_groups.append({"params": list(model.net.classifier.parameters()), "lr": c["lr_head"]})
        model.train()
        model.freeze(k)
        optimizer = torch.optim.Adam(param_groups, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
        shuffle = torch.Generator().manual_seed(c["seed"])
        n = train_x.shape[0]
        accuracies = []
        for epoch in range(1, epochs + 1):
            model.train()
            model.freeze(k)  # train() put the frozen groups' BatchNorm back in training mode
            order = torch.randperm(n, generator=shuffle)
            for start in range(0, n, batch):
                idx = order[start:start + batch]
                x = train_x[idx].float().div_(255)
                optimizer.zero_grad(set_to_none=True)
                loss = loss_fn(model(x), train_y[idx])
                loss.backward()
                optimizer.step()
            model.eval()
            correct = 0
            with torch.inference_mode():
                for start in range(0, val_x.shape[0], eval_batch):
                    x = val_x[start:start + eval_batch].float().div_(255)
                    correct += (model(x).argmax(1) == val_y[start:start + eval_batch]).sum().item()
            accuracies.append(correct / val_x.shape[0])
            trial.report(accuracies[-1], epoch)
        best = max(accuracies)
        seconds = time.perf_counter() - t0
        row = {
            "number": trial.number,
            "freeze_depth": k,
            "lr_head": c["lr_head"],
            "slice_lo": c["slice_lo"],
            "slice_hi": c["slice_hi"],
            "val_accuracy": best,
            "best_epoch": accuracies.index(best) + 1,
            "epoch_accuracies": accuracies,
            "seconds": seconds,
        }
        print("trial " + json.dumps(row), flush=True)
        print(f"[optuna] trial {trial.number} fd={k} head={c['lr_head']} hi={c['slice_hi']}: "
              f"{100 * best:.2f}% in {seconds:.1f} s", file=sys.stderr, flush=True)
        return best

    t0 = time.perf_counter()
    study = optuna.create_study(direction="maximize",
                                sampler=optuna.samplers.TPESampler(seed=job["seed"]))
    for c in configs:
        study.enqueue_trial({name: c[name] for name in choices})
    study.optimize(objective, n_trials=len(configs))
    wall = time.perf_counter() - t0
    cpu = os.times()
    print("study " + json.dumps({"wall_seconds": wall, "process_cpu_seconds": cpu.user + cpu.system,
                                 "best_value": study.best_value,
                                 "best_number": study.best_trial.number}), flush=True)
    import torchvision
    print("versions " + json.dumps({"optuna": optuna.__version__, "torch": torch.__version__,
                                    "torchvision": torchvision.__version__,
                                    "threads": torch.get_num_threads(),
                                    "interop_threads": torch.get_num_interop_threads()}), flush=True)


if __name__ == "__main__":
    main()
