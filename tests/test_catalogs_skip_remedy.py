"""``evaluate --catalogs`` / ``report --catalogs``: a field left out is said with the step that keeps it.

``tables/skipped.ecsv`` and the page's "Files left out and why" gave the reason alone ("layout 'unknown-class':
no class column known", "45 inspected sources (< 100)"): a warning without a next step, though ``--map
FIELD:class_ref=N`` and ``--min-inspected`` keep such fields (docs/legus_validation.md, "Many galaxies"). Each
reason now ends with the option, and following it as written keeps the field.
"""

from __future__ import annotations

import re

import numpy as np

from starclass.science import many
from test_catalogs_map import _folder


def _why(skipped) -> dict[str, str]:
    return dict(zip(skipped["field"], skipped["reason"]))


def test_an_unknown_class_column_is_told_the_map_that_names_it(tmp_path):
    folder, classes = _folder(tmp_path)
    fields, skipped = many.load_fields(folder, min_inspected=1)
    why = _why(skipped)["ngc3351"]
    assert why.startswith("layout 'unknown-class': no class column known; "), why
    assert "--map ngc3351:class_ref=N" in why, why
    # the step as written, N being the class column (35 here), keeps the field
    maps = many.parse_field_maps([re.search(r"--map (\S+)", why).group(1).replace("=N", "=35")])
    fields, skipped = many.load_fields(folder, min_inspected=1, column_maps=maps)
    assert "ngc3351" in fields and len(skipped) == 0


def test_too_few_inspected_sources_are_told_the_min_inspected_that_keeps_them(tmp_path):
    folder, _ = _folder(tmp_path)
    fields, _ = many.load_fields(folder, min_inspected=1, column_maps={"": {"35": "class_ref"}})
    counts = {k: int(np.isin(np.asarray(t["class_ref"]), [1, 2, 3, 4]).sum()) for k, t in fields.items()}
    field, fewest = min(counts.items(), key=lambda kv: kv[1])
    fields, skipped = many.load_fields(folder, min_inspected=fewest + 1, column_maps={"": {"35": "class_ref"}})
    why = _why(skipped)[field]
    assert why == f"{fewest} inspected sources (< {fewest + 1}; --min-inspected {fewest} keeps it)", why
    keep = int(re.search(r"--min-inspected (\d+)", why).group(1))
    assert field in many.load_fields(folder, min_inspected=keep, column_maps={"": {"35": "class_ref"}})[0]


def test_one_experts_class_is_told_the_map_where_the_map_applies(tmp_path):
    # NGC 4449's layout (column 34 one expert's class, 5 = not inspected; its later columns of unknown meaning make
    # the real file's layout uncertain, so --map applies to it), here on the fake NGC 1433 file, 34 columns
    folder, _ = _folder(tmp_path)
    (tab,) = folder.glob("*ngc1433*.tab")
    raw = np.loadtxt(tab)
    raw[raw[:, 33] == 0, 33] = 5
    maps = {"": {"35": "class_ref"}}
    np.savetxt(tab, raw, fmt="%.5f")
    why = _why(many.load_fields(folder, min_inspected=1, column_maps=maps)[1])["ngc1433"]
    # a layout the reader is sure of: no --map is applied over it, so none is offered
    assert why == "layout 'expert' (one expert's class, not a human mode)", why
    np.savetxt(tab, np.column_stack([raw, np.zeros((len(raw), 4))]), fmt="%.5f")  # 38 columns, as NGC 4449's
    why = _why(many.load_fields(folder, min_inspected=1)[1])["ngc1433"]
    assert why.startswith("layout 'expert' (one expert's class, not a human mode); "), why
    step = re.search(r"--map (\S+)", why).group(1)
    assert step == "ngc1433:class_ref=34", why
    fields, skipped = many.load_fields(folder, min_inspected=1, column_maps=many.parse_field_maps([step]))
    assert "ngc1433" in fields and "ngc1433" not in list(skipped["field"])
