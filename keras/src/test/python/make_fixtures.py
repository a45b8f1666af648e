#!/usr/bin/env python3
"""Writes the Keras 3 fixtures that no real file in /work/shared/keras-files covers: a shared layer and a nested
model, as `.keras` archives in Keras 3's layout, each with expected outputs from a separate numpy forward pass.

    /usr/bin/python3 make_fixtures.py        # needs python3-h5py and python3-numpy; no Keras

Layout, as keras/src/saving/saving_lib.py writes it (and the real files in /work/shared/keras-files show):
  * a zip of metadata.json, config.json, model.weights.h5, all STORED;
  * config.json: {"module", "class_name": "Functional", "config": {"name", "layers", "input_layers",
    "output_layers"}, "registered_name", ...}; each layer entry has "inbound_nodes", one per application
    (a shared layer has several), each {"args": [<__keras_tensor__ with keras_history [layer, node, tensor]>],
    "kwargs": {}}; a merge's first arg is a list of tensors; a nested model is a layer entry whose class_name is
    "Functional" and whose config is the inner model's;
  * model.weights.h5: layers/<snake_case(class)>[_n]/vars/<i>, counted per class within each model (a Functional
    model's InputLayers included, with empty vars), a nested model's layers under layers/<its group>/layers/...,
    a shared layer's weights once, under its one group; the model's own "vars" and an "optimizer" group.

The expected files hold {"inputs": [...], "outputs": [...]}, each array {"shape", "dtype", "data"}, as
reference.py's do.
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RESOURCES = os.path.join(HERE, "..", "resources", "keras")
BATCH = 4


def tensor(layer, node=0, shape=None):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": shape, "dtype": "float32", "keras_history": [layer, node, 0]}}


def call(*tensors):
    return {"args": list(tensors), "kwargs": {}}


def dtype():
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def input_layer(name, shape):
    return {"module": "keras.layers", "class_name": "InputLayer",
            "config": {"batch_shape": [None] + shape, "dtype": "float32", "sparse": False, "name": name},
            "registered_name": None, "name": name, "inbound_nodes": []}


def dense(name, units, activation, inbound):
    return {"module": "keras.layers", "class_name": "Dense",
            "config": {"name": name, "trainable": True, "dtype": dtype(), "units": units, "activation": activation,
                       "use_bias": True,
                       "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                                              "config": {"seed": None}, "registered_name": None},
                       "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                                            "registered_name": None},
                       "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
                       "bias_constraint": None},
            "registered_name": None, "name": name, "inbound_nodes": inbound}


def merge(cls, name, inbound):
    return {"module": "keras.layers", "class_name": cls, "config": {"name": name, "trainable": True, "dtype": dtype()},
            "registered_name": None, "name": name, "inbound_nodes": inbound}


def functional(name, layers, inputs, outputs):
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "config": {"name": name, "trainable": True, "layers": layers,
                       "input_layers": [[i, 0, 0] for i in inputs], "output_layers": [[o, n, 0] for o, n in outputs]},
            "registered_name": "Functional"}


def write_keras(path, config, groups):
    """groups: {"layers/dense": [kernel, bias], "layers/input_layer": [], ...}"""
    h5 = io.BytesIO()
    with h5py.File(h5, "w") as f:
        f.create_group("vars")
        f.create_group("optimizer").create_group("vars")
        for group, arrays in groups.items():
            vars_ = f.require_group(group).require_group("vars")
            for i, a in enumerate(arrays):
                vars_.create_dataset(str(i), data=np.asarray(a, dtype=np.float32))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.10.0", "date_saved": "2026-12-02@00:00:00"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", h5.getvalue())


def write_expected(name, inputs, outputs):
    def arr(a):
        a = np.asarray(a, dtype=np.float32)
        return {"shape": list(a.shape), "dtype": "float32", "data": [float(v) for v in a.ravel()]}
    with open(os.path.join(RESOURCES, "expected", name + ".json"), "w") as f:
        json.dump({"name": name, "computation": "numpy float64 forward pass of make_fixtures.py",
                   "inputs": [arr(i) for i in inputs], "outputs": [arr(o) for o in outputs]}, f, indent=1)


def act(name, x):
    if name == "relu":
        return np.maximum(x, 0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    assert name == "linear"
    return x


def weights(rng, n_in, n_out):
    return rng.normal(0, 0.5, (n_in, n_out)).astype(np.float32), rng.normal(0, 0.1, n_out).astype(np.float32)


def shared_siamese(rng):
    """Two inputs through one shared Dense (two inbound nodes), their difference, a sigmoid score."""
    layers = [input_layer("left", [5]), input_layer("right", [5]),
              dense("encoder", 4, "tanh", [call(tensor("left", 0, [None, 5])), call(tensor("right", 0, [None, 5]))]),
              merge("Subtract", "diff", [call([tensor("encoder", 0, [None, 4]), tensor("encoder", 1, [None, 4])])]),
              dense("score", 1, "sigmoid", [call(tensor("diff", 0, [None, 4]))])]
    config = functional("siamese", layers, ["left", "right"], [("score", 0)])
    ek, eb = weights(rng, 5, 4)
    sk, sb = weights(rng, 4, 1)
    write_keras(os.path.join(RESOURCES, "fixtures", "shared_siamese.keras"), config, {
        "layers/input_layer": [], "layers/input_layer_1": [], "layers/dense": [ek, eb], "layers/subtract": [],
        "layers/dense_1": [sk, sb]})
    left = rng.normal(size=(BATCH, 5)).astype(np.float32)
    right = rng.normal(size=(BATCH, 5)).astype(np.float32)
    f64 = lambda a: np.asarray(a, dtype=np.float64)
    enc = lambda x: np.tanh(f64(x) @ f64(ek) + f64(eb))
    score = act("sigmoid", (enc(left) - enc(right)) @ f64(sk) + f64(sb))
    write_expected("shared_siamese", [left, right], [score])


def nested_classifier(rng):
    """An encoder model (Functional: Dense relu, Dense tanh) used as one layer of a classifier, then a softmax head."""
    inner_layers = [input_layer("pixels", [6]),
                    dense("hidden", 8, "relu", [call(tensor("pixels", 0, [None, 6]))]),
                    dense("code", 4, "tanh", [call(tensor("hidden", 0, [None, 8]))])]
    encoder = functional("encoder_net", inner_layers, ["pixels"], [("code", 0)])
    encoder["name"] = "encoder_net"
    encoder["inbound_nodes"] = [call(tensor("image", 0, [None, 6]))]
    layers = [input_layer("image", [6]), encoder,
              dense("head", 3, "softmax", [call(tensor("encoder_net", 0, [None, 4]))])]
    config = functional("classifier", layers, ["image"], [("head", 0)])
    hk, hb = weights(rng, 6, 8)
    ck, cb = weights(rng, 8, 4)
    ok, ob = weights(rng, 4, 3)
    write_keras(os.path.join(RESOURCES, "fixtures", "nested_classifier.keras"), config, {
        "layers/input_layer": [], "layers/functional": [], "layers/functional/layers/input_layer": [],
        "layers/functional/layers/dense": [hk, hb], "layers/functional/layers/dense_1": [ck, cb],
        "layers/dense": [ok, ob]})
    x = rng.normal(size=(BATCH, 6)).astype(np.float32)
    f64 = lambda a: np.asarray(a, dtype=np.float64)
    h = act("relu", f64(x) @ f64(hk) + f64(hb))
    c = act("tanh", h @ f64(ck) + f64(cb))
    y = act("softmax", c @ f64(ok) + f64(ob))
    write_expected("nested_classifier", [x], [y])


def main():
    rng = np.random.default_rng(15)
    shared_siamese(rng)
    nested_classifier(rng)


if __name__ == "__main__":
    main()
