"""``starclass explain``: where in a stamp a trained network finds its evidence.

Grad-CAM at a layer whose map is fine enough to mean something, guided backpropagation,
guided Grad-CAM and CAM (:mod:`starclass.explain.maps`); per-class mean maps, radial profiles,
figures and tables written by :func:`starclass.explain.run.explain`.
"""

from starclass.explain.maps import cam, choose_layer, guided_backprop, guided_gradcam
from starclass.explain.run import METHODS, explain, explain_inputs

__all__ = ["METHODS", "cam", "choose_layer", "explain", "explain_inputs", "guided_backprop", "guided_gradcam"]
