#!/usr/bin/env python3
"""A Keras 3 model in numpy: the forward pass (inference) of a Functional or Sequential config, with shared layers,
nested models and the wrappers, from the config's dicts and the weights as Keras lists them; and the reader of a .keras
archive's class-named weights tree. Written from Keras's definitions (keras/src/layers/...) with h5py and numpy only:
no Keras, nothing unpickled. make_fixtures.py computes its fixtures' outputs with it, read_keras.py Kiln's exports'.

Weights are a dict from a layer's name (`outer/inner` inside a nested model) to its arrays in Keras's order
(`layer.weights`): kernel, bias; gamma, beta, moving_mean, moving_variance; a Bidirectional's forward copy's then its
backward copy's.
"""
import io
import json
import zipfile

import h5py
import numpy as np

import reference as R  # conv2d, maxpool2d, rnn, activations: the real files' reference pass


# ---------------------------------------------------------------- reading a .keras archive


def load_keras(path):
    """(config, weights) of a .keras archive, weights read from model.weights.h5's class-named tree."""
    z = zipfile.ZipFile(path)
    names = [i.filename for i in z.infolist()]
    if len(names) != len(set(names)):
        raise ValueError("duplicate zip entry names")
    config = json.loads(z.read("config.json"))
    weights = {}
    with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
        read_model(config, f["layers"], "", weights)
    return config, weights


def _vars(group):
    if group is None or "vars" not in group:
        return []
    v = group["vars"]
    return [np.array(v[k][()]) for k in sorted(v.keys(), key=int)]


def layer_arrays(cls, config, g):
    """A layer's arrays in Keras's order from its group: where Keras 3's saver put them (saving_lib._save_state)."""
    if cls in ("LSTM", "GRU", "SimpleRNN"):
        assert not _vars(g), "a recurrent layer with weights of its own"
        return _vars(g["cell"])
    if cls == "Bidirectional":
        inner = config["layer"]["class_name"]
        return (layer_arrays(inner, config["layer"]["config"], g["forward_layer"])
                + layer_arrays(inner, config["backward_layer"]["config"], g["backward_layer"]))
    if cls == "TimeDistributed":
        return layer_arrays(config["layer"]["class_name"], config["layer"]["config"], g["layer"])
    return _vars(g)


def read_model(config, layers_group, prefix, weights):
    used = {}
    for layer in R.model_layers(config):
        cls = layer["class_name"]
        base = R.snake_case(cls)
        used[base] = used.get(base, -1) + 1
        key = base if used[base] == 0 else f"{base}_{used[base]}"
        name = prefix + layer["config"]["name"]
        if cls in ("Functional", "Sequential"):
            read_model(layer, layers_group[key]["layers"], name + "/", weights)
        elif key in layers_group:
            weights[name] = layer_arrays(cls, layer["config"], layers_group[key])


# ---------------------------------------------------------------- the forward pass


def forward(config, weights, inputs, prefix=""):
    """The outputs (a list) of the model `config` on `inputs` (a list, in input order)."""
    outs, _ = _model(config, weights, list(inputs), [None] * len(inputs), prefix)
    return outs


def _history(t):
    if isinstance(t, dict) and t.get("class_name") == "__keras_tensor__":
        return [tuple(t["config"]["keras_history"])]
    if isinstance(t, list) and t and isinstance(t[0], str):        # Keras 2: [name, node, tensor, kwargs]
        return [(t[0], t[1], t[2])]
    if isinstance(t, (list, tuple)):
        return [h for x in t for h in _history(x)]
    if isinstance(t, dict) and "args" in t:                         # Keras 3's node: {"args": [...], "kwargs": {}}
        return _history(t["args"])
    return []


def _model(config, weights, inputs, masks, prefix):
    layers = R.model_layers(config)
    if config["class_name"] == "Sequential":
        x, m = inputs[0], masks[0]
        for layer in layers:
            if layer["class_name"] != "InputLayer":
                x, m = _apply(layer, weights, [x], [m], prefix)
        return [x], [m]
    c = config["config"]
    values = {}
    for spec, x, m in zip(_names(c["input_layers"]), inputs, masks):
        values[(spec[0], 0)] = (x, m)
    for layer in layers:
        name = layer["config"]["name"]
        if layer["class_name"] == "InputLayer":
            continue
        for k, node in enumerate(layer["inbound_nodes"]):
            srcs = _history(node)
            xs = [values[(s[0], s[1])][0] for s in srcs]
            ms = [values[(s[0], s[1])][1] for s in srcs]
            values[(name, k)] = _apply(layer, weights, xs, ms, prefix)
    outs = [values[(o[0], o[1])] for o in _names(c["output_layers"])]
    return [o[0] for o in outs], [o[1] for o in outs]


def _names(spec):
    return [spec] if spec and isinstance(spec[0], str) else spec


def _apply(layer, weights, xs, ms, prefix):
    cls, c = layer["class_name"], layer["config"]
    name = prefix + c["name"]
    if cls in ("Functional", "Sequential"):
        outs, masks = _model(layer, weights, xs, ms, name + "/")
        return outs[0], masks[0]
    return apply_layer(cls, c, [np.asarray(w, np.float64) for w in weights.get(name, [])], xs, ms)


def _act(name, x):
    if isinstance(name, dict):
        name = name.get("config", {}).get("name") or name.get("class_name")
    if name in ("leaky_relu",):
        return np.where(x >= 0, x, 0.2 * x)
    if name == "relu6":
        return np.clip(x, 0, 6)
    if name == "gelu":
        raise NotImplementedError("gelu")
    return R.activation(name, x, "3")


def _pad_same(n, k, s, d=1):
    return R.tf_same_pads(n, k, s, d)


def depthwise(x, W, c):
    """Keras's DepthwiseConv2D: channel ch's filter m writes output channel ch * depth_multiplier + m."""
    kh, kw, cin, mult = W.shape
    full = np.zeros((kh, kw, cin, cin * mult))
    for ch in range(cin):
        full[:, :, ch, ch * mult:(ch + 1) * mult] = W[:, :, ch, :]
    return R.conv2d(x, full, None, dict(c, groups=1))


def conv_transpose(x, W, c):
    """Keras's Conv2DTranspose: the adjoint of the Conv2D of the same settings, kernel (kh, kw, out, in)."""
    kh, kw, cout, cin = W.shape
    (sh, sw), (dh, dw) = c.get("strides", [1, 1]), c.get("dilation_rate", [1, 1])
    op = c.get("output_padding") or [None, None]
    n, H, Wd, _ = x.shape
    sizes = []
    for size, k, s, d, p in ((H, kh, sh, dh, op[0]), (Wd, kw, sw, dw, op[1])):
        ke = (k - 1) * d + 1
        if p is None:
            out = size * s + max(ke - s, 0) if c["padding"] == "valid" else size * s
        else:
            out = (size - 1) * s + ke - 2 * (ke // 2 if c["padding"] == "same" else 0) + p
        pad = 0 if c["padding"] == "valid" else max((size - 1) * s + ke - out, 0) // 2
        sizes.append((out, pad, ke))
    (oh, ph, keh), (ow, pw, kew) = sizes
    full = np.zeros((n, (H - 1) * sh + keh, (Wd - 1) * sw + kew, cout))
    for i in range(kh):
        for j in range(kw):
            contrib = np.tensordot(x, W[i, j], axes=([3], [1]))           # (n, H, W, out)
            full[:, i * dh: i * dh + (H - 1) * sh + 1: sh, j * dw: j * dw + (Wd - 1) * sw + 1: sw, :] += contrib
    y = np.zeros((n, oh, ow, cout))
    hh = min(oh, full.shape[1] - ph)
    ww = min(ow, full.shape[2] - pw)
    y[:, :hh, :ww, :] = full[:, ph:ph + hh, pw:pw + ww, :]
    return y


def pool2d(x, c, op):
    if op == "max":
        return R.maxpool2d(x, c)
    ph, pw = c["pool_size"]
    sh, sw = c.get("strides") or c["pool_size"]
    n, H, W, C = x.shape
    if c["padding"] == "same":
        pt, pb, oh = _pad_same(H, ph, sh)
        pl, pr, ow = _pad_same(W, pw, sw)
    else:
        pt = pb = pl = pr = 0
        oh, ow = (H - ph) // sh + 1, (W - pw) // sw + 1
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    ones = np.pad(np.ones((1, H, W, 1)), ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    total = np.zeros((n, oh, ow, C))
    count = np.zeros((1, oh, ow, 1))
    for i in range(ph):
        for j in range(pw):
            total += xp[:, i: i + (oh - 1) * sh + 1: sh, j: j + (ow - 1) * sw + 1: sw, :]
            count += ones[:, i: i + (oh - 1) * sh + 1: sh, j: j + (ow - 1) * sw + 1: sw, :]
    return total / count                                                   # padding not counted, as TensorFlow


def upsample(x, size, interpolation):
    if interpolation == "nearest":
        return np.repeat(np.repeat(x, size[0], axis=1), size[1], axis=2)
    assert interpolation == "bilinear", interpolation
    for axis, s in ((1, size[0]), (2, size[1])):                          # separable: rows, then columns
        n = x.shape[axis]
        src = np.maximum((np.arange(n * s) + 0.5) / s - 0.5, 0)           # half-pixel centres, clamped
        lo = np.minimum(np.floor(src).astype(int), n - 1)
        hi = np.minimum(lo + 1, n - 1)
        frac = (src - np.floor(src)).reshape([-1 if a == axis else 1 for a in range(x.ndim)])
        x = np.take(x, lo, axis=axis) * (1 - frac) + np.take(x, hi, axis=axis) * frac
    return x


def recurrent(cls, c, Ws, x, m):
    """A recurrent layer, go_backwards included: Keras walks the reversed sequence and returns its steps in that order."""
    if c.get("go_backwards"):
        x = x[:, ::-1]
        m = None if m is None else m[:, ::-1]
        c = dict(c, go_backwards=False)
    return R.rnn(cls, x, m, Ws, c, "3")


def apply_layer(cls, c, Ws, xs, ms):
    """(output, mask) of one layer on its inputs, float64."""
    x = xs[0]
    m = ms[0]
    if cls in ("Dropout", "SpatialDropout1D", "SpatialDropout2D"):
        return x, m
    if cls == "Dense":
        y = x @ Ws[0] + (Ws[1] if c.get("use_bias", True) else 0)
        return _act(c.get("activation"), y), m
    if cls == "Activation":
        return _act(c["activation"], x), m
    if cls == "Flatten":
        return x.reshape(x.shape[0], -1), None
    if cls in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
        ops = {"Add": np.add, "Multiply": np.multiply, "Maximum": np.maximum, "Minimum": np.minimum}
        if cls == "Subtract":
            return xs[0] - xs[1], None
        if cls == "Average":
            return sum(xs) / len(xs), None
        y = xs[0]
        for t in xs[1:]:
            y = ops[cls](y, t)
        return y, None
    if cls == "Concatenate":
        return np.concatenate(xs, axis=c.get("axis", -1)), None
    if cls == "Dot":
        a, b = xs
        if c.get("normalize"):
            a = a / np.maximum(np.linalg.norm(a, axis=-1, keepdims=True), 1e-12)
            b = b / np.maximum(np.linalg.norm(b, axis=-1, keepdims=True), 1e-12)
        return (a * b).sum(axis=-1, keepdims=True), None
    if cls == "Conv2D":
        y = R.conv2d(x, Ws[0], Ws[1] if c.get("use_bias", True) else None, c)
        return _act(c.get("activation"), y), None
    if cls == "DepthwiseConv2D":
        y = depthwise(x, Ws[0], c) + (Ws[1] if c.get("use_bias", True) else 0)
        return _act(c.get("activation"), y), None
    if cls == "SeparableConv2D":
        y = depthwise(x, Ws[0], c)
        y = np.tensordot(y, Ws[1][0, 0], axes=([3], [0])) + (Ws[2] if c.get("use_bias", True) else 0)
        return _act(c.get("activation"), y), None
    if cls == "Conv2DTranspose":
        y = conv_transpose(x, Ws[0], c) + (Ws[1] if c.get("use_bias", True) else 0)
        return _act(c.get("activation"), y), None
    if cls in ("MaxPooling2D", "AveragePooling2D"):
        return pool2d(x, c, "max" if cls.startswith("Max") else "average"), None
    if cls in ("GlobalMaxPooling1D", "GlobalMaxPooling2D"):
        return x.reshape(x.shape[0], -1, x.shape[-1]).max(axis=1), None
    if cls in ("GlobalAveragePooling1D", "GlobalAveragePooling2D"):
        if cls.endswith("1D") and m is not None:
            w = m.astype(np.float64)[:, :, None]
            return (x * w).sum(axis=1) / w.sum(axis=1), None
        return x.reshape(x.shape[0], -1, x.shape[-1]).mean(axis=1), None
    if cls == "ZeroPadding2D":
        (t, b), (l, r) = c["padding"]
        return np.pad(x, ((0, 0), (t, b), (l, r), (0, 0))), None
    if cls == "Cropping2D":
        (t, b), (l, r) = c["cropping"]
        return x[:, t: x.shape[1] - b, l: x.shape[2] - r, :], None
    if cls == "UpSampling2D":
        return upsample(x, c.get("size", [2, 2]), c.get("interpolation", "nearest")), None
    if cls in ("BatchNormalization", "LayerNormalization"):
        i, gamma, beta = 0, None, None
        if c.get("scale", True):
            gamma, i = Ws[0], 1
        if c.get("center", True):
            beta, i = Ws[i], i + 1
        if cls == "BatchNormalization":
            mean, var = Ws[i], Ws[i + 1]
        else:
            mean, var = x.mean(axis=-1, keepdims=True), x.var(axis=-1, keepdims=True)
        y = (x - mean) / np.sqrt(var + c.get("epsilon", 1e-3))
        y = y * gamma if gamma is not None else y
        return (y + beta if beta is not None else y), m
    if cls == "ReLU":
        mv = c.get("max_value")
        t = c.get("threshold", 0.0)
        y = np.where(x > t, x, c.get("negative_slope", 0.0) * (x - t))
        return (np.minimum(y, mv) if mv is not None else y), m
    if cls == "LeakyReLU":
        s = c.get("negative_slope", c.get("alpha", 0.3))
        return np.where(x >= 0, x, s * x), m
    if cls == "PReLU":
        return np.where(x >= 0, x, Ws[0] * x), m
    if cls == "ELU":
        a = c.get("alpha", 1.0)
        return np.where(x > 0, x, a * np.expm1(np.minimum(x, 0))), m
    if cls == "Softmax":
        e = np.exp(x - x.max(axis=c.get("axis", -1), keepdims=True))
        return e / e.sum(axis=c.get("axis", -1), keepdims=True), m
    if cls == "Masking":
        keep = np.any(x != c.get("mask_value", 0.0), axis=-1)
        return x * keep[..., None], keep
    if cls == "Permute":
        return np.transpose(x, [0] + list(c["dims"])), None
    if cls == "Reshape":
        return x.reshape([x.shape[0]] + list(c["target_shape"])), None
    if cls == "RepeatVector":
        return np.repeat(x[:, None, :], c["n"], axis=1), None
    if cls == "Embedding":
        ids = x.astype(np.int64)
        return Ws[0][ids], ((ids != 0) if c.get("mask_zero") else None)
    if cls in ("SimpleRNN", "LSTM", "GRU"):
        y = recurrent(cls, c, Ws, x, m)
        return y, (m if c.get("return_sequences") else None)
    if cls == "Bidirectional":
        inner = c["layer"]["class_name"]
        half = len(Ws) // 2
        fwd = recurrent(inner, c["layer"]["config"], Ws[:half], x, m)
        bwd = recurrent(inner, c["backward_layer"]["config"], Ws[half:], x, m)
        if c["layer"]["config"].get("return_sequences"):
            bwd = bwd[:, ::-1]                                             # back in input order
        mode = c.get("merge_mode", "concat")
        y = {"concat": lambda: np.concatenate([fwd, bwd], axis=-1), "sum": lambda: fwd + bwd,
             "mul": lambda: fwd * bwd, "ave": lambda: (fwd + bwd) / 2}[mode]()
        return y, (m if c["layer"]["config"].get("return_sequences") else None)
    if cls == "TimeDistributed":
        inner = c["layer"]
        y, _ = apply_layer(inner["class_name"], inner["config"], Ws, [x], [None])
        return y, m
    raise NotImplementedError("layer " + cls)
