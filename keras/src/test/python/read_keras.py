#!/usr/bin/env python3
"""Reads a .keras archive that Kiln wrote with zipfile, json and h5py only (no Keras, nothing unpickled) and prints the
outputs of reference.py's independent numpy forward pass, so a test can check that Kiln's exports are readable by
something that is not Kiln.

    /usr/bin/python3 read_keras.py MODEL.keras INPUTS.json   # INPUTS: [{"shape": [...], "data": [...]}, ...]
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as R  # noqa: E402  (the shared fixture script: layouts and forward pass)


def load_keras(path):
    L = R.Loaded()
    z = zipfile.ZipFile(path)
    names = [i.filename for i in z.infolist()]
    if len(names) != len(set(names)):
        raise ValueError("duplicate zip entry names")
    L.keras_version = json.loads(z.read("metadata.json"))["keras_version"]
    L.config = json.loads(z.read("config.json"))
    L.fmt = "keras-zip"
    with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as wf:
        used = {}
        for layer in R.model_layers(L.config):      # Functional too: counters are per class
            cls = layer["class_name"]
            base = R.snake_case(cls)
            used[base] = used.get(base, -1) + 1
            key = base if used[base] == 0 else f"{base}_{used[base]}"
            g = wf["layers"][key]
            ds = R._vars_in(g["vars"])
            if "cell" in g:
                assert not ds, "RNN layer with own vars"
                ds = R._vars_in(g["cell"]["vars"])
            L.weights[layer["config"]["name"]] = [np.array(d[()]) for d in ds]
    return L


def main():
    loaded = load_keras(sys.argv[1])
    with open(sys.argv[2]) as f:
        arrays = json.load(f)
    inputs = [np.array(a["data"], dtype=np.float32).reshape(a["shape"]) for a in arrays]
    outputs = R.forward(loaded, inputs)
    print(json.dumps([{"shape": list(o.shape), "data": [float(v) for v in o.astype(np.float32).ravel()]}
                      for o in outputs]))


if __name__ == "__main__":
    main()
