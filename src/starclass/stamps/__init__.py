"""Stamps: cut-outs of many candidates from multi-band mosaics, their normalisations,
multi-scale views, model inputs, an HDF5 stamp store and PHANGS-style FITS export.

Positions are 0-based pixels; a stamp of side S has the candidate's pixel
``(floor(x + 0.5), floor(y + 0.5))`` at index ``S // 2`` (see :mod:`.extract`).
"""

from starclass.stamps.export import export_phangs_fits
from starclass.stamps.extract import centre_pixels, cut_boxes, extract_stamps, off_image, off_image_message
from starclass.stamps.inputs import InputBatch, InputSpec, input_shape, input_spec, iter_inputs, make_inputs
from starclass.stamps.merge import StampStores, merge_stores
from starclass.stamps.multiscale import base_size, multiscale, parse_scales, resample, scale_indices
from starclass.stamps.normalise import METHODS, normalise, rgb_groups, robust_stats
from starclass.stamps.store import StampStore, StampStoreWriter, make_store, write_stamp_store

__all__ = [
    "extract_stamps", "centre_pixels", "cut_boxes", "off_image", "off_image_message",
    "normalise", "METHODS", "rgb_groups", "robust_stats",
    "multiscale", "resample", "scale_indices", "base_size", "parse_scales",
    "make_inputs", "iter_inputs", "InputSpec", "InputBatch", "input_spec", "input_shape",
    "StampStore", "write_stamp_store", "StampStoreWriter", "make_store", "export_phangs_fits",
    "StampStores", "merge_stores",
]

