"""The shape of a task configuration, as the packages below :mod:`starclass.learn` read it.

A task's configuration is :class:`starclass.learn.config.TaskConfig`. The networks
(:mod:`starclass.models`), the cutout readers (:mod:`starclass.stamps`, :mod:`starclass.io`) and
the labelling page (:mod:`starclass.inspect`) take one, but cannot import it: ``learn`` imports
them (``tests/test_layout.py`` refuses the cycle). Their ``config`` parameters were left
unannotated; :class:`TaskLike` names what they read of it, and ``TaskConfig`` has all of it.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class TaskLike(Protocol):
    """What a task configuration offers the packages that cannot import :class:`~starclass.learn.config.TaskConfig`.

    A structural type (:class:`typing.Protocol`): any object with these attributes and methods
    is one, and :class:`starclass.learn.config.TaskConfig` is the one starclass passes.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> isinstance(get_preset("m31-binary"), TaskLike)
    True
    >>> isinstance(object(), TaskLike)
    False
    """

    name: str
    bands: list[str]
    classes: list[int]
    class_names: list[str]
    stamp_size: int
    input_size: int | None
    pixel_scale: float
    normalisation: str
    label_map: dict[str, int]
    toy_kind: str | None
    recipe: Any

    @property
    def n_classes(self) -> int:
        """Number of classes.

        Examples
        --------
        >>> from starclass.learn.config import get_preset
        >>> get_preset("legus4").n_classes, get_preset("m31-binary").n_classes
        (4, 2)
        """

    @property
    def n_channels(self) -> int:
        """Channels of the network's input.

        Examples
        --------
        >>> from starclass.learn.config import get_preset
        >>> get_preset("legus4").n_channels  # 5 bands at 3 scales
        15
        """

    @property
    def preset_name(self) -> str | None:
        """The preset's name, or None for a task that is no preset.

        Examples
        --------
        >>> from starclass.learn.config import get_preset
        >>> get_preset("legus4").preset_name
        'legus4'
        """

    def members(self) -> list[dict[str, Any]]:
        """The ensemble members: one dict (architecture and its options) each."""

    def map_classes(self, class_ref: Any) -> np.ndarray:
        """Reference classes as the task's classes (-1: none)."""
