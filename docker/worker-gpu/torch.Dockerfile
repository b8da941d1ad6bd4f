# thaw/torch-libs: libtorch 2.7.1 for CUDA 12.6 and the CUDA libraries it needs, taken from PyPI's
# torch==2.7.1 wheel and its nvidia-* runtime wheels, for docker/worker-gpu/Dockerfile to copy.
# An image of its own so that its 3 GB of wheels are the build context of this build only
# (docker/build-images: context docker/.build/torch-wheels), built once per machine.
ARG PYTHON_BASE=python:3.11-slim-bookworm
FROM ${PYTHON_BASE} AS install
LABEL thaw.stage=torch-install
COPY . /tmp/wheels/
RUN python3 -m venv /tmp/pip && /tmp/pip/bin/pip install --no-index --find-links /tmp/wheels \
    --no-cache-dir -q --no-deps --target /opt/torch torch==2.7.1 \
    nvidia-cublas-cu12 nvidia-cuda-cupti-cu12 nvidia-cuda-nvrtc-cu12 nvidia-cuda-runtime-cu12 \
    nvidia-cudnn-cu12 nvidia-cufft-cu12 nvidia-cufile-cu12 nvidia-curand-cu12 nvidia-cusolver-cu12 \
    nvidia-cusparse-cu12 nvidia-cusparselt-cu12 nvidia-nccl-cu12 nvidia-nvjitlink-cu12 nvidia-nvtx-cu12

FROM scratch
LABEL thaw.image=torch-libs
# torch/lib finds the nvidia-* libraries through its RUNPATH ($ORIGIN/../../nvidia/*/lib): keep the layout.
COPY --from=install /opt/torch/nvidia/ /opt/torch/nvidia/
COPY --from=install /opt/torch/torch/lib/ /opt/torch/torch/lib/
