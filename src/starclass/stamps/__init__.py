"""Stamps: cut-outs of many candidates from multi-band mosaics, their normalisations,
multi-scale views, model inputs, an HDF5 stamp store and PHANGS-style FITS export.

Positions are 0-based pixels; a stamp of side S has the candidate's pixel
``(floor(x + 0.5), floor(y + 0.5))`` at index ``S // 2`` (see :mod:`.extract`).
"""

from starclass import lazy_exports

# eager: their functions share the names of their modules (``starclass.stamps.normalise`` is the function, as it
# was), which a later import of the module would otherwise rebind on the package; both are light
from starclass.stamps.multiscale import base_size, multiscale, parse_scales, resample, scale_indices
from starclass.stamps.normalise import METHODS, normalise, rgb_groups, robust_stats

#: Each name this package exports and the submodule that defines it, loaded on first use (PEP 562): the package
#: imported them all, so ``from starclass.stamps.extract import ...`` (detection's photometry, the simulator through
#: it) brought the stamp store (h5py), the model inputs and the FITS export too, before a command's first line.
_EXPORTS = {
    "export_phangs_fits": ".export",
    **dict.fromkeys(("centre_pixels", "cut_boxes", "extract_stamps", "off_image", "off_image_message"), ".extract"),
    **dict.fromkeys(("InputBatch", "InputSpec", "input_shape", "input_spec", "iter_inputs", "make_inputs"), ".inputs"),
    **dict.fromkeys(("StampStores", "merge_stores"), ".merge"),
    **dict.fromkeys(("StampStore", "StampStoreWriter", "make_store", "write_stamp_store"), ".store"),
}

__all__ = [
    "extract_stamps", "centre_pixels", "cut_boxes", "off_image", "off_image_message",
    "normalise", "METHODS", "rgb_groups", "robust_stats",
    "multiscale", "resample", "scale_indices", "base_size", "parse_scales",
    "make_inputs", "iter_inputs", "InputSpec", "InputBatch", "input_spec", "input_shape",
    "StampStore", "write_stamp_store", "StampStoreWriter", "make_store", "export_phangs_fits",
    "StampStores", "merge_stores",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
