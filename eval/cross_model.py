"""The cross-encoder's training side: LoRA layers, frozen-layer quantisation, saving.

Inference (spec, tokenizer, model build, merge, int8, predict, cache) lives in the package,
``align.quality.cross``; this module adds only what ``eval/train_cross.py`` needs on top. A
trained file goes to the per-user folder (``TRAINED_FILE``), never over the shipped one: copy
it to ``src/align/quality/cross-encoder.safetensors`` and re-run ``eval/train_qe.py`` to ship it.
torch is imported on first use, never at import.
"""
from __future__ import annotations

import json
from pathlib import Path

from align import paths
from align.quality.cross import TARGETS, CrossSpec, file_digest

TRAINED_FILE = paths.home() / "train" / "cross" / "cross-encoder.safetensors"


def tuned_layers(model) -> list:
    layers = model.bert.encoder.layer
    return list(layers[len(layers) - model.tuned:])


def quantise_frozen(model) -> None:
    """int8 dynamic quantisation of the layers below the tuned ones (training: they only run forward)."""
    import torch

    layers = model.bert.encoder.layer
    for k in range(len(layers) - model.tuned):
        layers[k] = torch.ao.quantization.quantize_dynamic(layers[k], {torch.nn.Linear}, dtype=torch.qint8)


def save_cross(model, spec: CrossSpec, info: dict, path: Path = TRAINED_FILE) -> str:
    """The LoRA updates of the tuned layers and the head, in float16, with the spec as metadata."""
    import torch
    from safetensors.torch import save_file

    tensors = {}
    first = len(model.bert.encoder.layer) - spec.tuned
    for k, layer in enumerate(tuned_layers(model)):
        for target in TARGETS:
            lin = layer.get_submodule(target)
            tensors[f"layer.{first + k}.{target}.A"] = lin.lora_A["default"].weight.detach()
            tensors[f"layer.{first + k}.{target}.B"] = lin.lora_B["default"].weight.detach()
    for name, value in model.head.state_dict().items():
        tensors[f"head.{name}"] = value.detach()
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({k: v.to(torch.float16).contiguous() for k, v in tensors.items()}, str(path),
              metadata={"spec": json.dumps(vars(spec)), "info": json.dumps(info, sort_keys=True)})
    file_digest.cache_clear()
    return file_digest(path)
