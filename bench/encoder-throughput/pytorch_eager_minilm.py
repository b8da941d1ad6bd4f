#!/usr/bin/env python3
"""PyTorch-eager reference for Thaw's bench/encoder-throughput.

Trains all-MiniLM-L6-v2 as Hugging Face transformers' BertModel, loaded from the same
config.json and model.safetensors as Thaw's zoo:minilm_l6, with what Thaw puts on top of it:
masked mean pooling, dropout, a new linear head. Adam at 1e-3 for every trained parameter,
cross-entropy, on random token ids (a pool of 16 batches made once with --seed; every attention
mask is all ones, so both sides do the same work). Groups as in Thaw: g0 the embeddings, g1..g6
the layers; --freeze-depth k freezes g0..g(k-1) and runs them without autograd history.

Prints ONE JSON line on stdout:
  {"samples_per_second": ..., "step_ms_p50": ..., "attention": ..., "torch_version": ...,
   "transformers_version": ..., ...}
"""
import argparse
import json
import os
import statistics
import sys
import time
import warnings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
warnings.filterwarnings("ignore")

import torch  # noqa: E402
from torch import nn  # noqa: E402
import transformers  # noqa: E402
from transformers import BertModel  # noqa: E402

transformers.logging.set_verbosity_error()  # the unused pooler tensors are expected

POOL_BATCHES = 16


class Classifier(nn.Module):
    def __init__(self, encoder: BertModel, classes: int, dropout: float, freeze: int):
        super().__init__()
        self.encoder = encoder
        self.freeze = freeze
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, classes)
        groups = [encoder.embeddings] + list(encoder.encoder.layer)
        for g in groups[:freeze]:
            for p in g.parameters():
                p.requires_grad_(False)
            g.eval()  # a frozen group runs in inference mode, as in Thaw

    def forward(self, ids, mask):
        out = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).to(out.dtype)
        pooled = (out * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return self.head(self.dropout(pooled))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True, help="folder with config.json and model.safetensors")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--length", type=int, default=64)
    ap.add_argument("--classes", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--freeze-depth", type=int, default=0)
    ap.add_argument("--warmup-steps", type=int, default=16)
    ap.add_argument("--steps", type=int, default=32)
    ap.add_argument("--attention", default="sdpa", choices=["sdpa", "eager"])
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    encoder = BertModel.from_pretrained(
        a.model_dir, add_pooling_layer=False, attn_implementation=a.attention)
    model = Classifier(encoder, a.classes, 0.1, a.freeze_depth)
    model.train()
    for g in ([encoder.embeddings] + list(encoder.encoder.layer))[: a.freeze_depth]:
        g.eval()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    n = a.batch_size * POOL_BATCHES
    vocab = encoder.config.vocab_size
    ids = torch.randint(1000, vocab, (n, a.length), dtype=torch.long)
    mask = torch.ones(n, a.length, dtype=torch.long)
    labels = torch.randint(0, a.classes, (n,), dtype=torch.long)

    def step(i: int) -> None:
        lo = (i % POOL_BATCHES) * a.batch_size
        hi = lo + a.batch_size
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(ids[lo:hi], mask[lo:hi]), labels[lo:hi])
        loss.backward()
        opt.step()

    for i in range(a.warmup_steps):
        step(i)
    times = []
    t0 = time.perf_counter()
    for i in range(a.steps):
        s = time.perf_counter()
        step(i)
        times.append(time.perf_counter() - s)
    total = time.perf_counter() - t0
    result = {
        "framework": "pytorch-eager+transformers",
        "torch_version": torch.__version__,
        "transformers_version": transformers.__version__,
        "attention": encoder.config._attn_implementation,
        "samples_per_second": a.batch_size * a.steps / total,
        "step_ms_p50": 1000 * statistics.median(times),
        "batch_size": a.batch_size,
        "length": a.length,
        "threads": a.threads,
        "freeze_depth": a.freeze_depth,
        "steps": a.steps,
    }
    print(f"[pytorch] {result['samples_per_second']:.1f} samples/s, attention {result['attention']}",
          file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
