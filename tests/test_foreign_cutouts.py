"""Cutout folders as other tools write them (issue 12: "other real cutouts ... will be run on them
as given"): file names from a Mac, palette PNGs, radio cubes, spreadsheets' encodings."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from PIL import Image

from starclass.io.cutout_folders import read_cutout_folder, read_image


def _blob(size: int = 16, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:size, :size]
    c = (size - 1) / 2
    a = 40 + 180 * np.exp(-0.5 * ((xx - c) ** 2 + (yy - c) ** 2) / 4.0) + rng.normal(0, 4, xx.shape)
    return np.clip(a, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("on_disk, in_csv", [("NFD", "NFC"), ("NFC", "NFD")])
def test_accented_names_written_by_a_mac_are_found(tmp_path, on_disk, in_csv):
    # a folder copied from macOS names 'é' as 'e' + a combining accent (NFD); the CSV typed or saved
    # by a spreadsheet writes one character (NFC): both print as 'café 0.png', and every row was
    # "no such file 'café 0.png'"
    names = ["café 0.png", "Straße/nébuleuse 1.png"]
    (tmp_path / unicodedata.normalize(on_disk, "Straße")).mkdir()
    for i, name in enumerate(names):
        Image.fromarray(_blob(seed=i)).save(tmp_path / unicodedata.normalize(on_disk, name))
    rows = "".join(f"{unicodedata.normalize(in_csv, n)},{lab}\n" for n, lab in zip(names, ("cluster", "galaxy")))
    (tmp_path / "labels.csv").write_text("file,label\n" + rows, encoding="utf-8")
    cs = read_cutout_folder(tmp_path / "labels.csv")
    assert cs.images.shape == (2, 1, 16, 16)
    assert cs.labels.tolist() == ["cluster", "galaxy"]
    # the file as the CSV writes it passes through (classify's output is matched back by it)
    assert cs.files == [unicodedata.normalize(in_csv, n) for n in names]
    np.testing.assert_allclose(cs.images[1, 0], _blob(seed=1) / 255.0, atol=1e-6)


@pytest.mark.parametrize("spelling", ["windows", "mac"])
def test_the_labelling_page_finds_the_files_as_the_reader_does(tmp_path, spelling):
    # inspect --stamps joined the CSV's cell to its folder itself: 'cluster\\a.png' (a CSV from Windows)
    # or an NFC name of an NFD file was read (through the reader) but named no file on the page's side,
    # so the 8-bit picture was taken for a stretched one and the file was not among those it serves
    from starclass.inspect.cutouts import read_cutout_list
    from starclass.learn.config import get_preset

    (tmp_path / "cluster").mkdir()
    disk = unicodedata.normalize("NFD", "amas é.png")
    Image.fromarray(_blob()).save(tmp_path / "cluster" / disk)
    cell = "cluster\\amas é.png" if spelling == "windows" else "cluster/" + unicodedata.normalize("NFC", "amas é.png")
    if spelling == "windows":
        (tmp_path / "cluster" / disk).rename(tmp_path / "cluster" / "amas é.png")
    (tmp_path / "labels.csv").write_text(f"file,label\n{cell},cluster\n", encoding="utf-8")
    lst = read_cutout_list(tmp_path / "labels.csv", get_preset("m31-real"))
    assert lst.paths[0][0].is_file()
    assert lst.as_stored.tolist() == [True]


@pytest.mark.parametrize("transparent", [False, True])
def test_a_grey_palette_png_is_read_as_grey_among_grey_cutouts(tmp_path, transparent):
    # PIL's convert('P') of a grey picture (and PNG optimisers) store grey levels in a palette: read as
    # RGB, one such file in a folder of grey PNGs refused the whole folder ('3 channels (colour)')
    (tmp_path / "cluster").mkdir()
    grey = _blob(seed=3)
    Image.fromarray(_blob(seed=1)).save(tmp_path / "cluster" / "a.png")
    pal = Image.fromarray(grey).convert("P")
    if transparent:
        pal.info["transparency"] = 0
        pal.save(tmp_path / "cluster" / "b.png", transparency=0)
    else:
        pal.save(tmp_path / "cluster" / "b.png")
    assert read_image(tmp_path / "cluster" / "b.png").shape == (1, 16, 16)
    cs = read_cutout_folder(tmp_path)
    assert cs.images.shape == (2, 1, 16, 16)
    np.testing.assert_allclose(cs.images[1, 0], grey / 255.0, atol=1e-6)


def test_a_colour_palette_png_stays_colour(tmp_path):
    rgb = np.zeros((16, 16, 3), np.uint8)
    rgb[..., 0], rgb[:8, :, 2] = 200, 50
    Image.fromarray(rgb).convert("P", palette=Image.Palette.ADAPTIVE, colors=4).save(tmp_path / "c.png")
    a = read_image(tmp_path / "c.png")
    assert a.shape == (3, 16, 16)
    np.testing.assert_allclose(a[:, 0, 0] * 255, [200, 0, 50], atol=0.5)
    np.testing.assert_allclose(a[:, 12, 0] * 255, [200, 0, 0], atol=0.5)


def test_a_cmyk_jpeg_is_read_as_the_rgb_it_shows(tmp_path):
    # a JPEG saved for print holds C, M, Y, K: read as 4 channels, it was refused as 4 bands for a colour task
    rgb = np.zeros((16, 16, 3), np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 220, 120, 30
    Image.fromarray(rgb).convert("CMYK").save(tmp_path / "c.jpg", quality=100)
    a = read_image(tmp_path / "c.jpg")
    assert a.shape == (3, 16, 16)
    np.testing.assert_allclose(a[:, 8, 8] * 255, [220, 120, 30], atol=6)


@pytest.mark.parametrize("shape", [(1, 1, 16, 16), (1, 1, 1, 16, 16)])
def test_a_radio_cutout_with_axes_of_length_one_is_read(tmp_path, shape):
    # VLASS and CASA cutouts keep the Stokes and frequency axes, (1, 1, H, W): refused for "4 dimensions"
    from astropy.io import fits

    plane = np.arange(256, dtype=np.float32).reshape(16, 16)
    fits.PrimaryHDU(plane.reshape(shape)).writeto(tmp_path / "vlass.fits")
    a = read_image(tmp_path / "vlass.fits")
    assert a.shape == (1, 16, 16)
    np.testing.assert_array_equal(a[0], plane)


def test_a_cube_of_several_planes_in_four_dimensions_is_still_refused(tmp_path):
    from astropy.io import fits

    from starclass.errors import StarclassError

    fits.PrimaryHDU(np.zeros((2, 3, 16, 16), np.float32)).writeto(tmp_path / "cube.fits")
    with pytest.raises(StarclassError, match="cube.fits: image has 4 dimensions"):
        read_image(tmp_path / "cube.fits")


def _spreadsheet_folder(root):
    names = ["café 0.png", "café 1.png"]
    for i, n in enumerate(names):
        Image.fromarray(_blob(seed=i)).save(root / n)
    return names


def test_a_csv_in_the_windows_code_page_is_refused_naming_its_line(tmp_path):
    # Excel's plain "CSV (Comma delimited)" writes 'é' as the byte 0xe9: the message gave a byte position
    # ("can't decode byte 0xe9 in position 14"), and info read the file as a catalogue ("required column 'id'")
    from typer.testing import CliRunner

    from starclass.cli import app as cli
    from starclass.errors import StarclassError

    names = _spreadsheet_folder(tmp_path)
    csv_path = tmp_path / "labels.csv"
    csv_path.write_bytes(("file,label\n" + "".join(f"{n},cluster\n" for n in names)).encode("cp1252"))
    with pytest.raises(StarclassError, match=r"labels.csv: line 2 is not UTF-8 text \('caf\\xe9 0.png,cluster', "
                                             r"byte 0xe9\).*'CSV UTF-8'"):
        read_cutout_folder(csv_path)
    result = CliRunner().invoke(cli, ["info", str(csv_path)])
    assert result.exit_code == 2
    assert "line 2 is not UTF-8 text" in result.output and "'id'" not in result.output


def test_a_utf16_csv_from_excel_unicode_text_is_read(tmp_path):
    # Excel's "Unicode Text" is UTF-16 with a byte-order mark, tab-separated: "can't decode byte 0xff"
    names = _spreadsheet_folder(tmp_path)
    text = "file\tlabel\n" + "".join(f"{n}\t{lab}\n" for n, lab in zip(names, ("cluster", "galaxy")))
    (tmp_path / "labels.csv").write_bytes(text.encode("utf-16"))
    cs = read_cutout_folder(tmp_path / "labels.csv")
    assert cs.files == names and cs.labels.tolist() == ["cluster", "galaxy"]


def test_a_tiff_stack_is_read_one_band_per_page(tmp_path):
    # ImageJ, tifffile (photometric='minisblack') and PIL's save_all write one band per page: only the first
    # page was read, the other bands dropped without a word
    planes = [np.full((16, 16), v, np.float32) for v in (1.0, 2.0, 3.0)]
    planes[0][0, :4] = 9.0  # the top row, to see the page is not turned over
    pages = [Image.fromarray(a) for a in planes]
    pages[0].save(tmp_path / "stack.tif", save_all=True, append_images=pages[1:])
    a = read_image(tmp_path / "stack.tif")
    assert a.shape == (3, 16, 16)
    np.testing.assert_array_equal(a, np.stack(planes))


def test_a_planar_16_bit_tiff_is_read_not_misread(tmp_path):
    # tifffile writes a uint16 array (3, H, W) as one page of three planes, which PIL decoded as an 8-bit RGB
    # picture of wrong values (55745 became 193 of 255); refused until 2026-12-04, now read by tifffile
    tifffile = pytest.importorskip("tifffile")

    x = np.random.default_rng(0).integers(0, 65535, (3, 16, 16)).astype(np.uint16)
    tifffile.imwrite(tmp_path / "planar.tif", x, photometric="rgb", planarconfig="separate")
    np.testing.assert_allclose(read_image(tmp_path / "planar.tif") * 65535, x, atol=1e-2)
    tifffile.imwrite(tmp_path / "pages.tif", x, photometric="minisblack")  # one page per band, read as before
    np.testing.assert_allclose(read_image(tmp_path / "pages.tif") * 65535, x, atol=1e-2)


@pytest.mark.parametrize("layout", ["folders", "csv"])
def test_a_broken_cutout_is_named_once(tmp_path, layout):
    # 'data/galaxy/a.jpg: /abs/data/galaxy/a.jpg: cannot read the image ...': the reader's place and then
    # read_image's own naming of the same file
    from starclass.errors import StarclassError

    (tmp_path / "galaxy").mkdir()
    Image.fromarray(_blob(seed=1)).save(tmp_path / "galaxy" / "ok.jpg")
    good = (tmp_path / "galaxy" / "ok.jpg").read_bytes()
    (tmp_path / "galaxy" / "cut.jpg").write_bytes(good[: len(good) // 2])
    if layout == "csv":
        (tmp_path / "labels.csv").write_text("file,label\ngalaxy/ok.jpg,galaxy\ngalaxy/cut.jpg,galaxy\n")
    with pytest.raises(StarclassError) as info:
        read_cutout_folder(tmp_path)
    said = str(info.value)
    assert "cut.jpg" in said and "cannot read the image" in said
    assert said.count("cut.jpg") == 1, said


def _two_band_classified(tmp_path):
    """A two-band folder (one FITS file per band) and a table as classify --stamps writes it elsewhere."""
    from astropy.io import fits

    data = tmp_path / "data"
    for band in ("f555w", "f814w"):
        (data / band).mkdir(parents=True)
    rows = []
    for i in range(3):
        for k, band in enumerate(("f555w", "f814w")):
            fits.PrimaryHDU(np.full((16, 16), 10 * i + k, np.float32)).writeto(data / band / f"o{i}.fits")
        rows.append(f"f555w/o{i}.fits,f814w/o{i}.fits,{('cluster', 'galaxy')[i % 2]}")
    (data / "labels.csv").write_text("file_f555w,file_f814w,label\n" + "\n".join(rows) + "\n")
    out = tmp_path / "results"
    out.mkdir()
    # classify keeps every input column and adds 'file' (the first band's, to find the rows by) and the folder
    lines = ["file_f555w,file_f814w,label,file,class_pred,prob_1,prob_2,cutout_root"]
    lines += [f"{r},{r.split(',')[0]},1,0.9,0.1,{data}" for r in rows]
    (out / "classified.csv").write_text("\n".join(lines) + "\n")
    return out / "classified.csv"


def test_a_classified_several_band_folder_is_read_again_with_its_bands(tmp_path):
    # the 'file' classify adds beside file_f555w, file_f814w was taken for each row's one image: classify
    # --stamps classified.csv with another model, report --stamps and info read one band, or refused it
    # ("the cutouts have 1 channel(s) ... give one file_<band> column per band"), which the table has
    from starclass.inspect.cutouts import read_cutout_list
    from starclass.io.cutout_folders import listed_files
    from starclass.learn.config import get_preset

    classified = _two_band_classified(tmp_path)
    cs = read_cutout_folder(classified, bands=["F555W", "F814W"], bands_of="model m")
    assert cs.images.shape == (3, 2, 16, 16)
    np.testing.assert_array_equal(cs.images[2, :, 0, 0], [20, 21])
    assert cs.files == [f"f555w/o{i}.fits" for i in range(3)]  # what classify's 'file' holds: rows still match
    assert read_cutout_folder(classified).images.shape[1] == 2  # info: no bands asked
    assert len(listed_files(classified)) == 6  # both bands' files (outputs are kept out of both folders)
    lst = read_cutout_list(classified, get_preset("m31-real").copy(bands=["f555w", "f814w"]))
    assert lst.images.shape == (3, 2, 16, 16) and lst.file_columns == ["file_f555w", "file_f814w"]


def test_a_file_column_of_other_files_beside_band_columns_is_still_read(tmp_path):
    # a colour picture per object in 'file' beside its band files: 'file' is what is read, as before
    for name in ("rgb.png", "g.png", "i.png"):
        Image.fromarray(_blob()).save(tmp_path / name)
    (tmp_path / "labels.csv").write_text("file,file_g,file_i,label\nrgb.png,g.png,i.png,cluster\n")
    cs = read_cutout_folder(tmp_path / "labels.csv")
    assert cs.files == ["rgb.png"] and cs.bands == []


def test_label_folders_named_on_a_mac_match_the_task_file(tmp_path):
    # label folders copied from macOS are named in NFD ('e' + a combining accent), a task file typed by hand holds
    # NFC: "label 'amas stéllaire' is not known to the task (known: ['amas stéllaire', ...])"
    from starclass.evaluate.task import EvalTask
    from starclass.io.cutout_folders import label_classes
    from starclass.learn.config import get_preset

    names = {"amas stéllaire": 1, "galaxie éllíptique": 2}
    for i, name in enumerate(names):
        (tmp_path / unicodedata.normalize("NFD", name)).mkdir()
        Image.fromarray(_blob(seed=i)).save(tmp_path / unicodedata.normalize("NFD", name) / "a.png")
    cfg = get_preset("m31-real").copy(label_map={unicodedata.normalize("NFC", k): v for k, v in names.items()})
    cs = read_cutout_folder(tmp_path)
    assert label_classes(cs, cfg.label_map, config=cfg).tolist() == [1, 2]
    # evaluate --label-column reads the classified CSV's labels, as written (NFD here), with the model's map
    task = EvalTask.from_config(cfg)
    assert task.label_classes(cs.labels.tolist()).tolist() == [1, 2]
    # and a task file written in NFD matches labels written in NFC
    nfd = {unicodedata.normalize("NFD", k): v for k, v in names.items()}
    assert EvalTask.from_config(cfg.copy(label_map=nfd)).label_classes(list(names)).tolist() == [1, 2]


def test_a_group_column_asked_of_label_folders_is_not_dropped_silently(tmp_path):
    # train --group-column object_id --stamps DIR (one folder per label): no columns to group by, and the
    # option was left out without a word, each image its own group
    for lab in ("cluster", "galaxy"):
        (tmp_path / lab).mkdir()
        Image.fromarray(_blob()).save(tmp_path / lab / "a.png")
    with pytest.warns(UserWarning, match=r"group column 'object_id' is not applied.*labels.csv \(file, label, "
                                         r"object_id\)"):
        cs = read_cutout_folder(tmp_path, group_column="object_id", require_group=True)
    assert cs.groups.tolist() == ["cluster/a.png", "galaxy/a.png"]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a task's default group column (not asked for) says nothing, as before
        read_cutout_folder(tmp_path, group_column="object_id", require_group=False)


def test_a_cutout_list_not_named_labels_csv_is_pointed_to(tmp_path):
    # a Labels.CSV made on Windows (case-blind) beside the images was passed over without a word: train said
    # "24 images without labels ... list them in DIR/labels.csv", info "no catalogue could be read in DIR"
    from typer.testing import CliRunner

    from starclass.cli import app as cli

    for i in range(2):
        Image.fromarray(_blob(seed=i)).save(tmp_path / f"{i}.png")
    (tmp_path / "Labels.CSV").write_text("file,label\n0.png,cluster\n1.png,galaxy\n")
    with pytest.warns(UserWarning, match=r"Labels.CSV lists cutouts but is not read.*--stamps .*Labels.CSV"):
        cs = read_cutout_folder(tmp_path, require_labels=False)
    assert cs.labels is None
    result = CliRunner().invoke(cli, ["info", str(tmp_path)])
    assert result.exit_code == 2
    assert "Labels.CSV lists cutouts" in result.output and f"starclass info {tmp_path / 'Labels.CSV'}" in result.output
    # a classification written beside the images is not such a list
    (tmp_path / "Labels.CSV").unlink()
    (tmp_path / "classified.csv").write_text("file,class_pred\n0.png,1\n")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_cutout_folder(tmp_path, require_labels=False)


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_excels_separator_line_above_the_header_is_read(tmp_path, sep):
    # tools exporting for Excel write 'sep=;' above the header: "no 'file' column ...; columns: ['sep=', '']",
    # and info "required column 'id' missing (columns: sep=, col1)"
    from typer.testing import CliRunner

    from starclass.cli import app as cli
    from starclass.errors import StarclassError

    names = _spreadsheet_folder(tmp_path)
    rows = "".join(f"{n}{sep}{lab}\n" for n, lab in zip(names, ("cluster", "galaxy")))
    (tmp_path / "labels.csv").write_text(f"sep={sep}\nfile{sep}label\n{rows}", encoding="utf-8")
    cs = read_cutout_folder(tmp_path / "labels.csv")
    assert cs.files == names and cs.labels.tolist() == ["cluster", "galaxy"]
    result = CliRunner().invoke(cli, ["info", str(tmp_path / "labels.csv")])
    assert result.exit_code == 0 and "labels: cluster 1, galaxy 1" in result.output
    # rows keep their lines of the file (the separator line is line 1)
    (tmp_path / "labels.csv").write_text(f"sep={sep}\nfile{sep}label\n{rows}nothere.png{sep}galaxy\n")
    with pytest.raises(StarclassError, match=r"row 3 \(line 5 of the file\), file 'nothere.png': no such file"):
        read_cutout_folder(tmp_path / "labels.csv")


def test_cutouts_of_several_sizes_are_all_counted_at_once(tmp_path):
    # cutouts from a tool that trims at the image edge: the first odd one alone was named, one run per file
    from starclass.errors import StarclassError

    sizes = [32, 32, 24, 32, 24, 31]
    rows = []
    for i, n in enumerate(sizes):
        Image.fromarray(_blob(size=n, seed=i)).save(tmp_path / f"c{i}.png")
        rows.append(f"c{i}.png,cluster")
    (tmp_path / "labels.csv").write_text("file,label\n" + "\n".join(rows) + "\n")
    with pytest.raises(StarclassError) as info:
        read_cutout_folder(tmp_path / "labels.csv")
    said = str(info.value)
    assert said.startswith(f"{tmp_path / 'labels.csv'}: row 3 (line 4 of the file), file 'c2.png': image of shape "
                           "(1, 24, 24)")
    assert "3 of 6 cutouts differ from the first row's shape (rows 3, 5, 6)" in said
    assert "1 x 32 x 32: 3, 1 x 24 x 24: 2, 1 x 31 x 31: 1" in said
