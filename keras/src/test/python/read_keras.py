#!/usr/bin/env python3
"""Reads a .keras archive that Kiln wrote with zipfile, json and h5py only (no Keras, nothing unpickled) and prints the
outputs of keras_numpy.py's independent forward pass, so a test can check that Kiln's exports are readable by something
that is not Kiln.

    /usr/bin/python3 read_keras.py MODEL.keras INPUTS.json   # INPUTS: [{"shape": [...], "data": [...]}, ...]
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras_numpy as K  # noqa: E402  (the fixture script's numpy model: layouts and forward pass)


def main():
    config, weights = K.load_keras(sys.argv[1])
    with open(sys.argv[2]) as f:
        arrays = json.load(f)
    inputs = [np.array(a["data"], dtype=np.float32).reshape(a["shape"]).astype(np.float64) for a in arrays]
    outputs = K.forward(config, weights, inputs)
    print(json.dumps([{"shape": list(o.shape), "data": [float(v) for v in o.astype(np.float32).ravel()]}
                      for o in outputs]))


if __name__ == "__main__":
    main()
