"""Writes the .pth fixtures of TorchStateDictTest.

Run from anywhere with a Python that has torch (2.7.1 made the committed files):
    ~/.cache/thaw/bench-venv/bin/python make_fixtures.py
The files land beside this script. Values are aranges, so the test computes what to expect.
The legacy format's storage keys are memory addresses, so they differ from run to run; the
test does not depend on them.
"""

import collections
import io
import os
import zipfile
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent


def tensors():
    """Every element type, a scalar, a parameter, views with strides and a shared storage."""
    grid = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    shared = torch.arange(10, dtype=torch.float32)
    sd = collections.OrderedDict()
    sd["f32"] = grid
    sd["f64"] = torch.arange(6, dtype=torch.float64).reshape(2, 3) / 4
    sd["f16"] = torch.arange(5, dtype=torch.float16) / 2
    sd["bf16"] = torch.arange(4, dtype=torch.bfloat16) - 1.5
    sd["num_batches_tracked"] = torch.tensor(7, dtype=torch.int64)
    sd["i32"] = torch.arange(-3, 3, dtype=torch.int32)
    sd["i16"] = torch.arange(-2, 2, dtype=torch.int16) * 1000
    sd["i8"] = torch.arange(-4, 4, dtype=torch.int8)
    sd["u8"] = torch.arange(250, 256, dtype=torch.uint8)
    sd["flags"] = torch.tensor([True, False, True])
    # A transpose of grid: shares its storage, strides (1, 4).
    sd["transposed"] = grid.t()
    # Column 1 of grid: storage offset 1, stride 4.
    sd["column"] = grid[:, 1]
    # Two slices of one storage, the second at storage offset 4.
    sd["head"] = shared[:4]
    sd["tail"] = shared[4:].view(2, 3)
    # Stride 0 along the first dimension.
    sd["expanded"] = torch.arange(3, dtype=torch.float32).expand(2, 3)
    # A 1x1 convolution weight stored transposed: shape (2, 3, 1, 1), strides (1, 2, 1, 1).
    sd["pointwise"] = torch.arange(6, dtype=torch.float32).reshape(3, 2, 1, 1).permute(1, 0, 2, 3)
    sd["param"] = torch.nn.Parameter(torch.arange(3, dtype=torch.float32) + 0.5)
    return sd


class Config:
    """A class of this script: a file holding one must not be read."""

    def __init__(self):
        self.lr = 0.1


class RunsACommand:
    """Unpickling this with pickle would run `echo` (os.system, pickled as posix.system)."""

    def __reduce__(self):
        return (os.system, ("echo unpickled",))


def main():
    torch.save(tensors(), HERE / "legacy.pth", _use_new_zipfile_serialization=False)
    torch.save(tensors(), HERE / "zip.pth")
    checkpoint = {"epoch": 3, "state_dict": collections.OrderedDict(w=torch.arange(4.0))}
    torch.save(checkpoint, HERE / "checkpoint.pth")
    torch.save(
        {"w": torch.arange(2.0), "run": RunsACommand()},
        HERE / "os_system.pth",
        _use_new_zipfile_serialization=False,
    )
    torch.save({"w": torch.arange(2.0), "config": Config()}, HERE / "unknown_class.pth")

    # zip.pth without the data entry of the storage of 'i16'.
    rewrite(tensors(), "missing_entry.pth", lambda name, data: None if name.endswith("/data/6") else data)
    # {'w': arange(4.)} with the size (4,) patched to (5,): one element past its storage.
    w = {"w": torch.arange(4.0)}
    rewrite(w, "out_of_bounds.pth", patch(b"K\x04\x85", b"K\x05\x85"))
    # The same with the storage's element count patched to 2**30: 4 GiB it does not hold.
    rewrite(w, "huge_storage.pth", patch(b"K\x04t", b"J\x00\x00\x00\x40t"))

    # A pickle, but not one of torch.save.
    (HERE / "plain_pickle.pth").write_bytes(
        __import__("pickle").dumps({"w": [1.0, 2.0]}, protocol=2)
    )


def rewrite(state_dict, name, change):
    """Saves state_dict as a zip and writes it to name, each entry's bytes passed through change."""
    buffer = io.BytesIO()
    torch.save(state_dict, buffer)
    with zipfile.ZipFile(buffer) as saved, zipfile.ZipFile(HERE / name, "w") as out:
        for info in saved.infolist():
            data = change(info.filename, saved.read(info))
            if data is not None:
                out.writestr(info, data)


def patch(old, new):
    """Replaces the one occurrence of old in data.pkl with new."""

    def change(name, data):
        if name.endswith("/data.pkl"):
            assert data.count(old) == 1, (old, data)
            return data.replace(old, new)
        return data

    return change


if __name__ == "__main__":
    main()
