"""Start training from a saved model's weights (fine-tuning), e.g. simulation to real images.

:func:`starclass.learn.train.fit` takes ``init_from=MODEL`` (a model directory, its
``manifest.json`` or one member file): each member is built as usual and then given the
weights of the saved member with the same index (or of the last one when the saved model
has fewer members) before its first training step. The optimizer, the early-stopping state
and the history start afresh; only the weights are carried over.

The saved model must have been trained for the same input and output: the same
architecture, bands, classes, stamp size, scales and normalisation, and weights of the same
names and shapes. Anything else is refused with a :class:`~starclass.errors.StarclassError`
that names the difference, since loading part of a network silently would leave the rest
at random and look like a fine-tuned model.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch

from starclass.errors import StarclassError
from starclass.learn.checkpoint import LoadedModel, load_checkpoint, member_paths
from starclass.learn.config import TaskConfig

__all__ = ["CHECKED_KEYS", "initial_state"]

#: Checkpoint entries that must equal the new task's: they decide what the inputs and
#: outputs of the network mean, which shapes alone do not show (a fully convolutional net
#: takes any stamp size, and a z-scored stamp is not a flux stamp).
CHECKED_KEYS: tuple[str, ...] = ("bands", "classes", "stamp_size", "scales", "normalisation")


def initial_state(source: str | os.PathLike, config: TaskConfig, member: int, architecture: str,
                  model: torch.nn.Module, loaded: LoadedModel | None = None) -> dict[str, torch.Tensor]:
    """The saved weights a new member starts from, checked against the network they go into.

    Parameters
    ----------
    source : str or os.PathLike
        A model directory (``manifest.json`` inside), a manifest, or one member checkpoint.
    config : starclass.learn.config.TaskConfig
        The task being trained.
    member : int
        Index (0-based) of the member being trained; the saved member with that index is
        used, or the last one when the saved model has fewer.
    architecture : str
        The new member's architecture.
    model : torch.nn.Module
        The freshly built network (its state dict gives the names and shapes expected).
    loaded : LoadedModel, optional
        ``source`` as :func:`starclass.learn.checkpoint.load_model` loaded it: where it was loaded from the
        very files ``source`` names, the weights and the checked entries are taken from it and no member file
        is read again (a cross-validation's every fold read every member checkpoint again); else the file is read.

    Returns
    -------
    dict
        A state dict for ``model.load_state_dict``.

    Raises
    ------
    StarclassError
        The source is not a finished starclass model, or it differs from the new member in
        architecture, bands, classes, stamp geometry, normalisation or weight shapes.

    Examples
    --------
    A saved one-member model, and a new network of the same task that starts from its weights:

    >>> from starclass.learn.checkpoint import write_untrained_model
    >>> from starclass.learn.config import get_preset
    >>> from starclass.models import build_model
    >>> import shutil, tempfile
    >>> cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    >>> sim_model = Path(tempfile.mkdtemp()) / "sim_model"  # never in the folder the example is run from
    >>> saved = load_checkpoint(write_untrained_model(sim_model, cfg) / "member_01.pt")["state_dict"]
    >>> net = build_model(cfg, pretrained=False)
    >>> net.load_state_dict(initial_state(sim_model, cfg, 0, "compact", net))
    <All keys matched successfully>
    >>> all(torch.equal(a, saved[k]) for k, a in net.state_dict().items())
    True
    >>> from starclass.learn.checkpoint import load_model
    >>> net.load_state_dict(initial_state(sim_model, cfg, 0, "compact", net, load_model(sim_model)))
    <All keys matched successfully>
    >>> initial_state(sim_model, cfg.copy(stamp_size=32), 0, "compact", net)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: the model to start from ... its stamp_size is 16 but the task ... trains 32; ...
    >>> shutil.rmtree(sim_model.parent)
    """
    paths = member_paths(Path(source))
    k = min(int(member), len(paths) - 1)
    path = paths[k]
    if loaded is not None and [Path(p).absolute() for p in loaded.paths] == [p.absolute() for p in paths]:
        # load_model keeps the weights in the networks, the rest of each checkpoint in .checkpoints
        ckpt = {**loaded.checkpoints[k], "state_dict": loaded.members[k].state_dict()}
    else:
        # not given, or loaded from other files (the folder of the one member file named): read it
        ckpt = load_checkpoint(path, kind="member")
    cfg = config.to_dict() if hasattr(config, "to_dict") else dict(config)
    wanted = {"architecture": str(architecture), "bands": [str(b) for b in cfg.get("bands", [])],
              "classes": [int(c) for c in cfg.get("classes", [])], "stamp_size": cfg.get("stamp_size"),
              "scales": cfg.get("scales"), "normalisation": cfg.get("normalisation")}
    for key in ("architecture",) + CHECKED_KEYS:
        have = ckpt.get(key)
        # scales may be stored as a list and given as a tuple: compare as lists
        if isinstance(have, (list, tuple)) and isinstance(wanted[key], (list, tuple)):
            same = list(have) == list(wanted[key])
        else:
            same = have == wanted[key]
        if not same:
            # named by the options the user types ("init_from" was the library's argument) and, for the
            # geometry, the option that makes the task match the model
            fix = {"stamp_size": f"give --stamp-size {have!r} to train at the model's size, or ",
                   "input_size": f"give --input-size {have or 0!r} to train at the model's size, or "}.get(key, "")
            raise StarclassError(
                f"the model to start from (--init-from / --resume-from) {path}: its {key} is {have!r} but the "
                f"task {cfg.get('name')!r} trains {wanted[key]!r}; {fix}start from a model trained for the same "
                "input and classes"
            )
    state = ckpt["state_dict"]
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state))
    extra = sorted(set(state) - set(expected))
    shapes = [f"{k} {tuple(state[k].shape)} vs {tuple(v.shape)}" for k, v in expected.items()
              if k in state and tuple(state[k].shape) != tuple(v.shape)]
    if missing or extra or shapes:
        detail = "; ".join(part for part in (
            f"missing {missing[:3]}" if missing else "", f"unexpected {extra[:3]}" if extra else "",
            f"shapes differ: {shapes[:3]}" if shapes else "") if part)
        raise StarclassError(f"the model to start from (--init-from / --resume-from) {path}: the saved weights "
                             f"do not fit the {architecture!r} "
                             f"network of task {cfg.get('name')!r} ({detail})")
    return state
