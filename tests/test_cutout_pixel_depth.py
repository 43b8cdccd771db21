"""Cutout pixels at their full depth: 16-bit colour PNG and TIFF, planar TIFF of 16 bits or floats.

PIL has no 16-bit colour mode: a 16-bit RGB PNG or TIFF reached the network at 8 bits without a word
(55745 read as 217 of 255); a planar 16-bit TIFF (tifffile's default for an array (3, H, W)) and one of
float planes were refused, saying to save the cutout as FITS or NPY.
"""

from __future__ import annotations

import importlib.util
import struct
import zlib

import numpy as np
import pytest

from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder, read_image

tifffile = pytest.importorskip("tifffile")

# tifffile's default for an array (3, H, W) is what users' files hold; its notice of a future default is not ours
pytestmark = pytest.mark.filterwarnings("ignore:<tifffile.TiffWriter.write> data with shape:DeprecationWarning")

#: Adam7 passes: (first row, first column, row step, column step).
_ADAM7 = ((0, 0, 8, 8), (0, 4, 8, 8), (4, 0, 8, 4), (0, 2, 4, 4), (2, 0, 4, 2), (0, 1, 2, 2), (1, 0, 2, 1))


def _filtered(a: np.ndarray) -> bytes:
    """The PNG scanlines of a big-endian uint16 ``(H, W, C)`` array, each row with another filter (0 to 4)."""
    h, w, c = a.shape
    rows = a.astype(">u2").view(np.uint8).reshape(h, w * c * 2).astype(np.int32)
    bpp = 2 * c
    out = []
    for y in range(h):
        x = rows[y]
        left = np.concatenate([np.zeros(bpp, np.int32), x[:-bpp]])
        up = rows[y - 1] if y else np.zeros_like(x)
        up_left = np.concatenate([np.zeros(bpp, np.int32), up[:-bpp]])
        kind = y % 5
        if kind == 0:
            pred = np.zeros_like(x)
        elif kind == 1:
            pred = left
        elif kind == 2:
            pred = up
        elif kind == 3:
            pred = (left + up) // 2
        else:  # Paeth
            p = left + up - up_left
            pa, pb, pc = np.abs(p - left), np.abs(p - up), np.abs(p - up_left)
            pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, up_left))
        out.append(bytes([kind]) + ((x - pred) % 256).astype(np.uint8).tobytes())
    return b"".join(out)


def write_png16(path, a: np.ndarray, *, interlace: bool = False) -> None:
    """A 16-bit PNG of ``a`` (``(H, W)`` grey or ``(H, W, C)``, C = 2 grey+alpha, 3 RGB, 4 RGBA), as libpng
    writes one (every row filter used; Adam7 interlacing on demand): PIL cannot write 16-bit colour."""
    a = np.asarray(a, dtype=np.uint16)
    a = a[..., None] if a.ndim == 2 else a
    h, w, c = a.shape

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    if interlace:
        raw = b"".join(_filtered(a[y0::dy, x0::dx]) for y0, x0, dy, dx in _ADAM7 if a[y0::dy, x0::dx].size)
    else:
        raw = _filtered(a)
    colour_type = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    header = struct.pack(">IIBBBBB", w, h, 16, colour_type, 0, 0, int(interlace))
    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
                 + chunk(b"IEND", b""))


def _values(shape, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 65536, shape).astype(np.uint16)


@pytest.mark.parametrize("interlace", [False, True])
@pytest.mark.parametrize("channels", [3, 4, 2])
def test_a_16_bit_colour_png_is_read_at_16_bits(tmp_path, channels, interlace):
    # RGB48, RGBA64 and 16-bit grey+alpha: PIL decoded each at 8 bits (the high byte); alpha is dropped
    a = _values((13, 11, channels), seed=channels)
    write_png16(tmp_path / "c.png", a, interlace=interlace)
    kept = 1 if channels == 2 else 3
    got = read_image(tmp_path / "c.png")
    assert got.shape == (kept, 13, 11)
    np.testing.assert_array_equal(np.rint(got * 65535).astype(np.uint16), np.moveaxis(a, -1, 0)[:kept])


def test_a_16_bit_grey_png_is_still_read_at_16_bits(tmp_path):
    a = _values((12, 12), seed=3)
    write_png16(tmp_path / "g.png", a)
    from PIL import Image

    Image.fromarray(a).save(tmp_path / "pil.png")  # PIL's own ("I;16")
    for name in ("g.png", "pil.png"):
        got = read_image(tmp_path / name)
        assert got.shape == (1, 12, 12)
        np.testing.assert_array_equal(np.rint(got[0] * 65535).astype(np.uint16), a)


@pytest.mark.parametrize("how", ["contiguous", "zlib", "alpha", "planar", "planar-default"])
def test_a_16_bit_colour_tiff_is_read_at_16_bits(tmp_path, how):
    a = _values((16, 14, 4 if how == "alpha" else 3), seed=5)
    p = tmp_path / "c.tif"
    if how == "contiguous":
        tifffile.imwrite(p, a, photometric="rgb")
    elif how == "zlib":
        tifffile.imwrite(p, a, photometric="rgb", compression="zlib")
    elif how == "alpha":
        tifffile.imwrite(p, a, photometric="rgb", extrasamples=["unassalpha"])
    elif how == "planar":
        tifffile.imwrite(p, np.moveaxis(a, -1, 0), photometric="rgb", planarconfig="separate")
    else:  # tifffile's default for a uint16 array (3, H, W)
        tifffile.imwrite(p, np.moveaxis(a, -1, 0))
    got = read_image(p)
    assert got.shape == (3, 16, 14)
    np.testing.assert_array_equal(np.rint(got * 65535).astype(np.uint16), np.moveaxis(a, -1, 0)[:3])


@pytest.mark.parametrize("how", ["planar", "planar-rgb", "contiguous"])
def test_a_tiff_of_float_planes_is_read_as_stored(tmp_path, how):
    # tifffile's imwrite of a float32 array (3, H, W): PIL could not open it ("cannot identify image file")
    f = np.random.default_rng(1).normal(0, 3, (3, 10, 10)).astype(np.float32)
    p = tmp_path / "f.tif"
    if how == "planar":
        tifffile.imwrite(p, f, planarconfig="separate")
    elif how == "planar-rgb":
        tifffile.imwrite(p, f, photometric="rgb", planarconfig="separate")
    else:
        tifffile.imwrite(p, np.moveaxis(f, 0, -1), photometric="rgb")
    np.testing.assert_array_equal(read_image(p), f)  # physical values, not scaled


def test_an_8_bit_planar_tiff_and_a_stack_of_pages_read_as_before(tmp_path):
    a = _values((3, 8, 8), seed=2)
    tifffile.imwrite(tmp_path / "p8.tif", (a >> 8).astype(np.uint8), photometric="rgb", planarconfig="separate")
    np.testing.assert_allclose(read_image(tmp_path / "p8.tif") * 255, a >> 8, atol=1e-3)
    tifffile.imwrite(tmp_path / "pages.tif", a, photometric="minisblack")
    np.testing.assert_allclose(read_image(tmp_path / "pages.tif") * 65535, a, atol=1e-2)
    # 8-bit colour compressed with LZW, which PIL decodes and tifffile would need imagecodecs for
    from PIL import Image

    rgb8 = np.moveaxis((a >> 8).astype(np.uint8), 0, -1)
    Image.fromarray(rgb8).save(tmp_path / "lzw8.tif", compression="tiff_lzw")
    np.testing.assert_allclose(read_image(tmp_path / "lzw8.tif") * 255, np.moveaxis(rgb8, -1, 0), atol=1e-3)


def test_a_16_bit_colour_tiff_tifffile_cannot_decode_is_refused_saying_how(tmp_path):
    # LZW needs the imagecodecs package; PIL would read the file at 8 bits: refused, not misread
    p = tmp_path / "lzw.tif"
    tifffile.imwrite(p, _values((8, 8, 3)), photometric="rgb", compression="zlib")
    with tifffile.TiffFile(p, mode="r+b") as tif:
        tif.pages[0].tags["Compression"].overwrite(5)  # what an LZW file declares
    # find_spec, not an import: imagecodecs is no dependency (tests/test_packaging.py reads imports)
    if importlib.util.find_spec("imagecodecs") is None:
        with pytest.raises(StarclassError, match=r"lzw.tif: a TIFF of 3 planes of 16 bits compressed with LZW.*"
                                                 r"pip install imagecodecs.*zlib \(deflate\)"):
            read_image(p)
    else:
        with pytest.raises(StarclassError, match="lzw.tif"):  # imagecodecs fails on zlib data read as LZW
            read_image(p)


def test_a_folder_of_16_bit_colour_files_reads_through_the_folder_reader(tmp_path):
    # the whole path a user takes: label folders of RGB48 PNGs and 16-bit RGB TIFFs, read as one set
    a = [_values((12, 12, 3), seed=s) for s in range(4)]
    for lab in ("cluster", "galaxy"):
        (tmp_path / lab).mkdir()
    write_png16(tmp_path / "cluster" / "a.png", a[0])
    tifffile.imwrite(tmp_path / "cluster" / "b.tif", a[1], photometric="rgb")
    write_png16(tmp_path / "galaxy" / "c.png", a[2], interlace=True)
    tifffile.imwrite(tmp_path / "galaxy" / "d.tif", np.moveaxis(a[3], -1, 0), planarconfig="separate")
    cs = read_cutout_folder(tmp_path)
    assert cs.images.shape == (4, 3, 12, 12)
    np.testing.assert_array_equal(np.rint(cs.images * 65535).astype(np.uint16),
                                  np.stack([np.moveaxis(x, -1, 0) for x in a]))


def test_the_page_stretches_16_bit_colour_as_it_does_16_bit_grey(tmp_path):
    # PIL opens a 16-bit colour file in its 8-bit "RGB" mode: the page took it for a stretched 8-bit picture
    # and showed it as stored, while a 16-bit grey one is stretched
    pytest.importorskip("fastapi")
    from PIL import Image

    from starclass.inspect.cutouts import read_cutout_list
    from starclass.learn.config import load_config

    (tmp_path / "rgb.yaml").write_text("extends: m31-real\nbands: [z, r, g]\n")
    cfg = load_config(tmp_path / "rgb.yaml")
    (tmp_path / "rgb.yaml").unlink()
    for lab in ("cluster", "galaxy"):
        (tmp_path / lab).mkdir()
    write_png16(tmp_path / "cluster" / "a.png", _values((12, 12, 3), seed=1))
    tifffile.imwrite(tmp_path / "galaxy" / "b.tif", _values((12, 12, 3), seed=2), photometric="rgb")
    Image.fromarray((_values((12, 12, 3), seed=3) >> 8).astype(np.uint8)).save(tmp_path / "galaxy" / "c.png")
    cl = read_cutout_list(tmp_path, cfg)
    assert dict(zip(cl.ids, cl.as_stored.tolist())) == {"cluster/a.png": False, "galaxy/b.tif": False,
                                                         "galaxy/c.png": True}
