#!/usr/bin/env python3
"""Writes the Keras fixtures that no real file in /work/shared/keras-files covers, each in the three layouts Kiln
reads (a .keras archive, a Keras 3 .weights.h5 and a legacy .h5 model), each with expected outputs from a numpy forward
pass: a shared layer and a nested model (written out by hand below), a CNN with BatchNormalization nested in a model,
and a Sequential model of a Bidirectional LSTM, a TimeDistributed Dense, LayerNormalization and a GRU (their outputs
from keras_numpy.py, which is checked here against the hand-written passes of the first two).

    /usr/bin/python3 make_fixtures.py        # needs python3-h5py and python3-numpy; no Keras

Layout, as keras/src/saving/saving_lib.py writes it (and the real files in /work/shared/keras-files show):
  * a zip of metadata.json, config.json, model.weights.h5, all STORED;
  * config.json: {"module", "class_name": "Functional", "config": {"name", "layers", "input_layers",
    "output_layers"}, "registered_name", ...}; each layer entry has "inbound_nodes", one per application
    (a shared layer has several), each {"args": [<__keras_tensor__ with keras_history [layer, node, tensor]>],
    "kwargs": {}}; a merge's first arg is a list of tensors; a nested model is a layer entry whose class_name is
    "Functional" and whose config is the inner model's;
  * model.weights.h5: layers/<snake_case(class)>[_n]/vars/<i>, counted per class within each model (a Functional
    model's InputLayers included, with empty vars; a Sequential model's InputLayer has none), a nested model's layers
    under layers/<its group>/layers/..., a shared layer's weights once, under its one group; the model's own "vars"
    and an "optimizer" group. _save_state walks each layer's attributes, so an RNN's weights sit on its cell
    (layers/gru/cell/vars), a Bidirectional's on its two copies (layers/bidirectional/forward_layer/cell/vars, then
    backward_layer), a TimeDistributed's on its layer (layers/time_distributed/layer/vars), each level with its own
    vars group, empty;
  * .weights.h5 (model.save_weights): the same tree, alone;
  * legacy .h5 (keras/src/legacy/saving/legacy_h5_format.py): root attributes model_config (the config with Keras 2's
    inbound nodes, [[[layer, node, tensor, {}], ...]]), keras_version, backend; model_weights/<layer name> for each
    of model.layers (a Sequential model's InputLayer left out), its weight_names attribute listing the datasets by
    variable path (a Sequential model's prefixed with its name) in _legacy_weights order: every trained weight of
    the layer and of the layers inside it, then the others (BatchNormalization's moving statistics); an empty list
    stored as a float64 array of shape (0,).

The expected files hold {"inputs": [...], "outputs": [...]}, each array {"shape", "dtype", "data"}, as
reference.py's do; one expected file serves a fixture's three layouts.
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

import keras_numpy as K
import reference as R

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


def _tree(f, groups):
    f.create_group("vars")
    f.create_group("optimizer").create_group("vars")
    for group, arrays in groups.items():
        vars_ = f.require_group(group).require_group("vars")
        for i, a in enumerate(arrays):
            vars_.create_dataset(str(i), data=np.asarray(a, dtype=np.float32))


def _zip(path, entries):
    """A zip of STORED entries dated 1980-01-01, as Keras writes them (and the same bytes on every run)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)


def write_keras(path, config, groups):
    """groups: {"layers/dense": [kernel, bias], "layers/input_layer": [], ...}"""
    h5 = io.BytesIO()
    with h5py.File(h5, "w") as f:
        _tree(f, groups)
    _zip(path, [("metadata.json", json.dumps({"keras_version": "3.10.0", "date_saved": "2026-12-02@00:00:00"})),
                ("config.json", json.dumps(config)), ("model.weights.h5", h5.getvalue())])


def write_weights_h5(path, groups):
    """model.save_weights: the tree of model.weights.h5 alone."""
    with h5py.File(path, "w") as f:
        _tree(f, groups)


def keras3_groups(config, weights, prefix="", group_prefix="layers/"):
    """The weights tree of a model, as _save_state walks it: {"layers/dense": [kernel, bias], ...}."""
    groups, used = {}, {}
    sequential = config["class_name"] == "Sequential"
    for layer in R.model_layers(config):
        cls, name = layer["class_name"], prefix + layer["config"]["name"]
        if sequential and cls == "InputLayer":
            continue
        base = R.snake_case(cls)
        used[base] = used.get(base, -1) + 1
        group = group_prefix + (base if used[base] == 0 else f"{base}_{used[base]}")
        groups[group] = []
        if cls in ("Functional", "Sequential"):
            groups.update(keras3_groups(layer, weights, name + "/", group + "/layers/"))
            continue
        arrays = weights.get(name, [])
        for sub, part in _attributes(cls, layer["config"], arrays):
            path = group
            for attr in sub:
                path += "/" + attr
                groups.setdefault(path, [])
            groups[path] = part
    return groups


def _attributes(cls, config, arrays):
    """Where a layer's arrays go below its group: [(attribute path, arrays)], as keras_numpy.layer_arrays reads them."""
    if cls in ("LSTM", "GRU", "SimpleRNN"):
        return [(["cell"], arrays)]
    if cls == "Bidirectional":
        half = len(arrays) // 2
        inner = config["layer"]["class_name"]
        return ([(["forward_layer"] + p, a) for p, a in _attributes(inner, config["layer"]["config"], arrays[:half])]
                + [(["backward_layer"] + p, a)
                   for p, a in _attributes(inner, config["backward_layer"]["config"], arrays[half:])])
    if cls == "TimeDistributed":
        return [(["layer"] + p, a) for p, a in _attributes(config["layer"]["class_name"], config["layer"]["config"],
                                                             arrays)]
    return [([], arrays)]


def legacy_config(config):
    """The model config as legacy_h5_format writes it: Keras 2's inbound nodes, no modules, dtypes as names."""
    def layer_entry(layer):
        out = {"class_name": layer["class_name"], "config": dict(layer["config"])}
        if layer["class_name"] in ("Functional", "Sequential"):
            out["config"] = legacy_config(layer)["config"]
        if isinstance(out["config"].get("dtype"), dict):
            out["config"]["dtype"] = "float32"
        if "name" in layer:
            out["name"] = layer["name"]
        if "inbound_nodes" in layer:
            out["inbound_nodes"] = [[[h[0], h[1], h[2], {}] for h in K._history(node)]
                                    for node in layer["inbound_nodes"]]
        return out
    c = dict(config["config"])
    c["layers"] = [layer_entry(l) for l in R.model_layers(config)]
    return {"class_name": config["class_name"], "config": c}


def legacy_weights(config, weights, trainable, prefix=""):
    """[(variable path, array, trained)] of a model's layers, in order (nested models' recursively)."""
    out = []
    path_prefix = config["config"]["name"] + "/" if config["class_name"] == "Sequential" else ""
    for layer in R.model_layers(config):
        cls, name = layer["class_name"], layer["config"]["name"]
        if cls in ("Functional", "Sequential"):
            out += legacy_weights(layer, weights, trainable, prefix + name + "/")
            continue
        arrays = weights.get(prefix + name, [])
        for path, a in zip(variable_paths(cls, layer["config"], name), arrays):
            out.append((path_prefix + path, a, path.rsplit("/", 1)[1] not in trainable.get("frozen", ())))
    return out


def variable_paths(cls, config, name):
    """Keras 3's variable paths (layer name scope / cell / variable) of a layer's weights, in order."""
    cell = {"LSTM": "lstm_cell", "GRU": "gru_cell", "SimpleRNN": "simple_rnn_cell"}
    names = {"Dense": ["kernel", "bias"], "Conv2D": ["kernel", "bias"],
             "BatchNormalization": ["gamma", "beta", "moving_mean", "moving_variance"],
             "LayerNormalization": ["gamma", "beta"]}
    if cls in cell:
        return [f"{name}/{cell[cls]}/{w}" for w in ("kernel", "recurrent_kernel", "bias")]
    if cls == "Bidirectional":
        inner = config["layer"]
        return (variable_paths(inner["class_name"], inner["config"], name + "/" + inner["config"]["name"])
                + variable_paths(inner["class_name"], config["backward_layer"]["config"],
                                 name + "/" + config["backward_layer"]["config"]["name"]))
    if cls == "TimeDistributed":
        return variable_paths(config["layer"]["class_name"], config["layer"]["config"],
                              name + "/" + config["layer"]["config"]["name"])
    return [f"{name}/{w}" for w in names.get(cls, [])]


def write_legacy(path, config, weights):
    """A legacy .h5 model: model_config, and model_weights by top-level layer in _legacy_weights order."""
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "3.10.0"
        f.attrs["model_config"] = json.dumps(legacy_config(config))
        mw = f.create_group("model_weights")
        layers = [l for l in R.model_layers(config)
                  if not (config["class_name"] == "Sequential" and l["class_name"] == "InputLayer")]
        mw.attrs["layer_names"] = [l["config"]["name"] for l in layers]
        mw.attrs["backend"] = "tensorflow"
        mw.attrs["keras_version"] = "3.10.0"
        for layer in sorted(layers, key=lambda l: l["config"]["name"]):
            name = layer["config"]["name"]
            sub = {"class_name": "Functional", "config": {"name": config["config"]["name"], "layers": [layer]}}
            if config["class_name"] == "Sequential":
                sub["class_name"] = "Sequential"
            entries = legacy_weights(sub, weights, {"frozen": ("moving_mean", "moving_variance")})
            ordered = [e for e in entries if e[2]] + [e for e in entries if not e[2]]
            g = mw.create_group(name)
            g.attrs["weight_names"] = [e[0] for e in ordered] if ordered else np.zeros((0,))
            for p, a, _ in ordered:
                g.create_dataset(p, data=np.asarray(a, dtype=np.float32))
        mw.create_group("top_level_model_weights").attrs["weight_names"] = np.zeros((0,))


def write_all(name, config, weights, groups=None):
    """The fixture in its three layouts: fixtures/<name>.keras, .weights.h5 and _legacy.h5."""
    groups = groups or keras3_groups(config, weights)
    write_keras(os.path.join(RESOURCES, "fixtures", name + ".keras"), config, groups)
    write_weights_h5(os.path.join(RESOURCES, "fixtures", name + ".weights.h5"), groups)
    write_legacy(os.path.join(RESOURCES, "fixtures", name + "_legacy.h5"), config, weights)


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


def layer(cls, name, config, inbound, input_shape):
    """A Keras 3 layer entry: the base config (name, trainable, dtype), the layer's own keys, its build_config."""
    return {"module": "keras.layers", "class_name": cls,
            "config": {"name": name, "trainable": True, "dtype": dtype(), **config},
            "registered_name": None, "build_config": {"input_shape": input_shape}, "name": name,
            "inbound_nodes": inbound}


def wrapped(cls, name, config):
    """A layer a wrapper holds, as serialize_keras_object writes it."""
    return {"module": "keras.layers", "class_name": cls,
            "config": {"name": name, "trainable": True, "dtype": dtype(), **config}, "registered_name": None}


def check(name, config, weights, inputs, outputs):
    """keras_numpy's pass over the written config must give what the hand-written pass gave."""
    got = K.forward(config, {k: [np.asarray(w, np.float64) for w in v] for k, v in weights.items()},
                    [np.asarray(x, np.float64) for x in inputs])
    for g, o in zip(got, outputs):
        assert np.abs(g - o).max() < 1e-12, f"{name}: keras_numpy differs from the hand-written pass"


def shared_siamese(rng):
    """Two inputs through one shared Dense (two inbound nodes), their difference, a sigmoid score."""
    layers = [input_layer("left", [5]), input_layer("right", [5]),
              dense("encoder", 4, "tanh", [call(tensor("left", 0, [None, 5])), call(tensor("right", 0, [None, 5]))]),
              merge("Subtract", "diff", [call([tensor("encoder", 0, [None, 4]), tensor("encoder", 1, [None, 4])])]),
              dense("score", 1, "sigmoid", [call(tensor("diff", 0, [None, 4]))])]
    config = functional("siamese", layers, ["left", "right"], [("score", 0)])
    ek, eb = weights(rng, 5, 4)
    sk, sb = weights(rng, 4, 1)
    write_all("shared_siamese", config, {"encoder": [ek, eb], "score": [sk, sb]}, {
        "layers/input_layer": [], "layers/input_layer_1": [], "layers/dense": [ek, eb], "layers/subtract": [],
        "layers/dense_1": [sk, sb]})
    left = rng.normal(size=(BATCH, 5)).astype(np.float32)
    right = rng.normal(size=(BATCH, 5)).astype(np.float32)
    f64 = lambda a: np.asarray(a, dtype=np.float64)
    enc = lambda x: np.tanh(f64(x) @ f64(ek) + f64(eb))
    score = act("sigmoid", (enc(left) - enc(right)) @ f64(sk) + f64(sb))
    check("shared_siamese", config, {"encoder": [ek, eb], "score": [sk, sb]}, [left, right], [score])
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
    named = {"encoder_net/hidden": [hk, hb], "encoder_net/code": [ck, cb], "head": [ok, ob]}
    write_all("nested_classifier", config, named, {
        "layers/input_layer": [], "layers/functional": [], "layers/functional/layers/input_layer": [],
        "layers/functional/layers/dense": [hk, hb], "layers/functional/layers/dense_1": [ck, cb],
        "layers/dense": [ok, ob]})
    x = rng.normal(size=(BATCH, 6)).astype(np.float32)
    f64 = lambda a: np.asarray(a, dtype=np.float64)
    h = act("relu", f64(x) @ f64(hk) + f64(hb))
    c = act("tanh", h @ f64(ck) + f64(cb))
    y = act("softmax", c @ f64(ok) + f64(ob))
    check("nested_classifier", config, named, [x], [y])
    write_expected("nested_classifier", [x], [y])


def nested_cnn(rng):
    """A feature extractor model (Conv2D same + relu, BatchNormalization, Conv2D valid, MaxPooling2D) nested in a
    classifier (GlobalAveragePooling2D, Dense softmax). In the legacy file the nested model's group lists the trained
    weights of all its layers before BatchNormalization's moving statistics."""
    inner = [input_layer("pixels", [6, 6, 2]),
             layer("Conv2D", "conv", conv_config(4, "same", "relu"), [call(tensor("pixels", 0, [None, 6, 6, 2]))],
                   [None, 6, 6, 2]),
             layer("BatchNormalization", "bn", {"axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True,
                                                "scale": True, "synchronized": False, "renorm": False},
                   [call(tensor("conv", 0, [None, 6, 6, 4]))], [None, 6, 6, 4]),
             layer("Conv2D", "conv2", conv_config(3, "valid", "linear"), [call(tensor("bn", 0, [None, 6, 6, 4]))],
                   [None, 6, 6, 4]),
             layer("MaxPooling2D", "pool", {"pool_size": [2, 2], "strides": [2, 2], "padding": "valid",
                                            "data_format": "channels_last"},
                   [call(tensor("conv2", 0, [None, 4, 4, 3]))], [None, 4, 4, 3])]
    features = functional("features", inner, ["pixels"], [("pool", 0)])
    features["name"] = "features"
    features["inbound_nodes"] = [call(tensor("image", 0, [None, 6, 6, 2]))]
    layers = [input_layer("image", [6, 6, 2]), features,
              layer("GlobalAveragePooling2D", "gap", {"data_format": "channels_last", "keepdims": False},
                    [call(tensor("features", 0, [None, 2, 2, 3]))], [None, 2, 2, 3]),
              dense("head", 3, "softmax", [call(tensor("gap", 0, [None, 3]))])]
    config = functional("cnn", layers, ["image"], [("head", 0)])
    named = {"features/conv": [rng.normal(0, 0.4, (3, 3, 2, 4)), rng.normal(0, 0.1, 4)],
             "features/bn": [rng.uniform(0.5, 1.5, 4), rng.normal(0, 0.2, 4), rng.normal(0, 0.3, 4),
                             rng.uniform(0.5, 2.0, 4)],
             "features/conv2": [rng.normal(0, 0.3, (3, 3, 4, 3)), rng.normal(0, 0.1, 3)],
             "head": list(weights(rng, 3, 3))}
    named = {k: [np.asarray(w, np.float32) for w in v] for k, v in named.items()}
    write_all("nested_cnn", config, named)
    x = rng.normal(size=(BATCH, 6, 6, 2)).astype(np.float32)
    write_expected("nested_cnn", [x], K.forward(config, named, [x.astype(np.float64)]))


def conv_config(filters, padding, activation):
    return {"filters": filters, "kernel_size": [3, 3], "strides": [1, 1], "padding": padding,
            "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": activation,
            "use_bias": True, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                                                     "config": {"seed": None}, "registered_name": None},
            "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                                 "registered_name": None}}


def rnn_config(units, return_sequences, go_backwards=False, **extra):
    return {"return_sequences": return_sequences, "return_state": False, "go_backwards": go_backwards,
            "stateful": False, "unroll": False, "zero_output_for_mask": return_sequences, "units": units,
            "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True, "dropout": 0.0,
            "recurrent_dropout": 0.0, "seed": None, **extra}


def recurrent_seq(rng):
    """A Sequential model: Bidirectional(LSTM(4, return_sequences)), TimeDistributed(Dense(6, tanh)),
    LayerNormalization, GRU(3) (reset_after), Dense(2)."""
    lstm = dict(rnn_config(4, True), unit_forget_bias=True)
    layers = [{"module": "keras.layers", "class_name": "InputLayer",
               "config": {"batch_shape": [None, 5, 3], "dtype": "float32", "sparse": False, "name": "series"},
               "registered_name": None},
              layer("Bidirectional", "bi", {"merge_mode": "concat", "layer": wrapped("LSTM", "forward_lstm", lstm),
                                            "backward_layer": wrapped("LSTM", "backward_lstm",
                                                                      dict(lstm, go_backwards=True))},
                    None, [None, 5, 3]),
              layer("TimeDistributed", "per_step", {"layer": wrapped("Dense", "dense", {
                  "units": 6, "activation": "tanh", "use_bias": True})}, None, [None, 5, 8]),
              layer("LayerNormalization", "norm", {"axis": -1, "epsilon": 0.001, "center": True, "scale": True,
                                                   "rms_scaling": False}, None, [None, 5, 6]),
              layer("GRU", "gru", rnn_config(3, False, reset_after=True), None, [None, 5, 6]),
              layer("Dense", "out", {"units": 2, "activation": "linear", "use_bias": True}, None, [None, 3])]
    for l in layers:
        l.pop("inbound_nodes", None)
        l.pop("name", None)
    config = {"module": "keras", "class_name": "Sequential",
              "config": {"name": "sequential", "trainable": True, "dtype": dtype(), "layers": layers},
              "registered_name": None, "build_config": {"input_shape": [None, 5, 3]}}
    lstm_weights = lambda: [rng.normal(0, 0.4, (3, 16)), rng.normal(0, 0.4, (4, 16)), rng.normal(0, 0.2, 16)]
    named = {"bi": lstm_weights() + lstm_weights(),
             "per_step": [rng.normal(0, 0.4, (8, 6)), rng.normal(0, 0.1, 6)],
             "norm": [rng.uniform(0.5, 1.5, 6), rng.normal(0, 0.2, 6)],
             "gru": [rng.normal(0, 0.4, (6, 9)), rng.normal(0, 0.4, (3, 9)), rng.normal(0, 0.2, (2, 9))],
             "out": [rng.normal(0, 0.5, (3, 2)), rng.normal(0, 0.1, 2)]}
    named = {k: [np.asarray(w, np.float32) for w in v] for k, v in named.items()}
    write_all("recurrent_seq", config, named)
    x = rng.normal(size=(BATCH, 5, 3)).astype(np.float32)
    write_expected("recurrent_seq", [x], K.forward(config, named, [x.astype(np.float64)]))


def main():
    rng = np.random.default_rng(15)
    shared_siamese(rng)
    nested_classifier(rng)
    nested_cnn(rng)
    recurrent_seq(rng)


if __name__ == "__main__":
    main()
