#!/usr/bin/env bash
# Creates (idempotently) the Python virtualenv used by the PyTorch-eager side of
# Thaw's benchmarks and prints the venv's python path as the LAST line of stdout.
#
#   bench/python-env.sh            # create / verify, print python path
#   PY=$(bench/python-env.sh | tail -n1)
#   bench/python-env.sh optuna     # only Optuna (search-efficiency's reference row), no torch
#
# Location: ${THAW_CACHE:-$HOME/.cache/thaw}/bench-venv
#
# torch is pinned to 2.7.1, the libtorch version DJL 0.35.1's PyTorch engine
# uses, so both sides run the same ATen/oneDNN/MKL kernels.
#
# Install size: PyPI's linux x86_64 torch wheel is a CUDA build. It cannot be
# imported without the nvidia-* libraries (torch/__init__.py dlopens
# libtorch_global_deps.so, which needs libcudart/libcublas/...), so those are
# installed. triton (~540 MB, only used by torch.compile's GPU backend) is NOT
# needed for eager mode or TorchScript and is skipped by default; set
# THAW_BENCH_WITH_TRITON=1 to do a plain `pip install torch==2.7.1` instead.
# Result: ~4.5 GB on disk (with triton: ~5.1 GB).
set -euo pipefail

TORCH_VERSION=2.7.1
# torchvision's MobileNetV2 (trainer-throughput, sweep-vs-optuna): the release built for torch 2.7.1.
TORCHVISION_VERSION=0.22.1
# Hugging Face transformers, the reference side of encoder-throughput (BertModel on MiniLM): the
# last 4.x release, which supports torch 2.7; it brings tokenizers, safetensors and huggingface-hub.
TRANSFORMERS_VERSION=4.57.6
# Optuna, the reference of search-efficiency's TPE row and of sweep-vs-optuna; pure Python.
OPTUNA_VERSION=5.1.0
CACHE_DIR="${THAW_CACHE:-$HOME/.cache/thaw}"
VENV="$CACHE_DIR/bench-venv"
PY="$VENV/bin/python"

log() { echo "[python-env] $*" >&2; }

torch_ok() {
  [ -x "$PY" ] && "$PY" - "$TORCH_VERSION" >/dev/null 2>&1 <<'EOF'
import sys, warnings
warnings.filterwarnings("ignore")
import torch
assert torch.__version__.split("+")[0] == sys.argv[1], torch.__version__
x = torch.randn(2, 1, 8, 8, requires_grad=True)
torch.nn.Conv2d(1, 2, 3, padding=1)(x).sum().backward()
assert x.grad is not None
EOF
}

optuna_ok() {
  [ -x "$PY" ] && "$PY" -c 'import sys, optuna; assert optuna.__version__ == sys.argv[1]' \
    "$OPTUNA_VERSION" >/dev/null 2>&1
}

ensure_optuna() {
  if ! optuna_ok; then
    log "pip install optuna==$OPTUNA_VERSION"
    "$PY" -m pip install --disable-pip-version-check -q "optuna==$OPTUNA_VERSION" >&2
    optuna_ok || { log "optuna $OPTUNA_VERSION does not import in $VENV"; exit 1; }
  fi
}

torchvision_ok() {
  [ -x "$PY" ] && "$PY" - "$TORCHVISION_VERSION" >/dev/null 2>&1 <<'EOF'
import sys, warnings
warnings.filterwarnings("ignore")
import numpy, torchvision
assert torchvision.__version__.split("+")[0] == sys.argv[1], torchvision.__version__
EOF
}

ensure_torchvision() {
  if ! torchvision_ok; then
    # --no-deps: its torch is the one installed above; numpy and pillow are its other needs.
    log "pip install --no-deps torchvision==$TORCHVISION_VERSION (+ numpy, pillow)"
    "$PY" -m pip install --disable-pip-version-check -q --no-deps "torchvision==$TORCHVISION_VERSION" numpy pillow >&2
    torchvision_ok || { log "torchvision $TORCHVISION_VERSION does not import in $VENV"; exit 1; }
  fi
}

transformers_ok() {
  [ -x "$PY" ] && "$PY" -c 'import sys, warnings; warnings.filterwarnings("ignore"); import transformers; assert transformers.__version__ == sys.argv[1]' \
    "$TRANSFORMERS_VERSION" >/dev/null 2>&1
}

ensure_transformers() {
  if ! transformers_ok; then
    log "pip install transformers==$TRANSFORMERS_VERSION"
    "$PY" -m pip install --disable-pip-version-check -q "transformers==$TRANSFORMERS_VERSION" >&2
    transformers_ok || { log "transformers $TRANSFORMERS_VERSION does not import in $VENV"; exit 1; }
  fi
}

mkdir -p "$CACHE_DIR"
if [ ! -x "$PY" ]; then
  log "creating venv $VENV"
  python3 -m venv "$VENV"
fi
ensure_optuna
if [ "${1:-}" = optuna ]; then
  echo "$PY"
  exit 0
fi

if torch_ok; then
  ensure_torchvision
  ensure_transformers
  log "venv at $VENV already has torch $TORCH_VERSION, torchvision $TORCHVISION_VERSION, transformers $TRANSFORMERS_VERSION and optuna $OPTUNA_VERSION"
  echo "$PY"
  exit 0
fi

if [ "${THAW_BENCH_WITH_TRITON:-0}" = "1" ]; then
  log "pip install torch==$TORCH_VERSION (with all dependencies)"
  "$PY" -m pip install --disable-pip-version-check -q "torch==$TORCH_VERSION" >&2
else
  log "pip install --no-deps torch==$TORCH_VERSION"
  "$PY" -m pip install --disable-pip-version-check -q --no-deps "torch==$TORCH_VERSION" >&2
  # torch's own declared requirements (with their exact pins and markers),
  # minus triton and optional extras.
  mapfile -t DEPS < <("$PY" - <<'EOF'
import importlib.metadata as md
for req in md.requires("torch") or []:
    name = req.split(";")[0].strip()
    if "extra ==" in req or name.lower().startswith("triton"):
        continue
    print(req)
EOF
)
  log "installing torch's runtime deps except triton: ${#DEPS[@]} requirements"
  "$PY" -m pip install --disable-pip-version-check -q "${DEPS[@]}" >&2
fi

if ! torch_ok; then
  log "torch $TORCH_VERSION does not import/run in $VENV"
  "$PY" -c "import torch" >&2 || true
  exit 1
fi
ensure_torchvision
ensure_transformers
log "ready: $("$PY" -c 'import warnings; warnings.filterwarnings("ignore"); import torch; print("torch", torch.__version__)' 2>/dev/null)"
echo "$PY"
