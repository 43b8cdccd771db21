"""Task configs: presets, round trips, class mapping, thresholds, loading and errors."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import yaml

import starclass.learn.config as config_module
from starclass.datasets.stamps import KINDS
from starclass.errors import StarclassError
from starclass.learn.config import (
    PRESET_DIR,
    PRESETS,
    PresetRegistry,
    TaskConfig,
    TrainRecipe,
    get_preset,
    list_presets,
    load_config,
    save_config,
)


def test_the_registry_is_the_folder_of_preset_files():
    files = sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))
    assert files and list_presets() == files == sorted(PRESETS)
    # the seed systems are there (the published numbers are checked below)
    assert {"legus4", "phangs4", "m31-binary", "open-globular", "galaxy-cluster", "cool-core"} <= set(files)


@pytest.mark.parametrize("name", list_presets())
def test_every_preset_file_loads_to_a_valid_config(name):
    cfg = get_preset(name)
    assert isinstance(cfg, TaskConfig) and cfg.name == name
    assert cfg.description and len(cfg.class_names) == cfg.n_classes >= 2
    assert cfg.bands and cfg.n_channels >= 1 and cfg.members()
    assert cfg.toy_kind in KINDS  # every preset names its synthetic generator
    if name.endswith("-compact"):
        base = get_preset(name.removesuffix("-compact"))
        assert cfg.architecture == "compact" and cfg.arch_options == {} and cfg.input_size is None
        # the task itself (data layout, classes, decision) is the base's
        for f in ("bands", "classes", "class_names", "merge", "pixel_scale", "scales",
                  "threshold", "positive_class", "toy_kind"):
            assert getattr(cfg, f) == getattr(base, f), f


def test_compact_variants_carry_their_recipe_and_inputs():
    legus = get_preset("legus4-compact")
    assert legus.normalisation == "flux" and legus.stamp_size == 32
    assert (legus.recipe.lr, legus.recipe.epochs, legus.recipe.balance) == (1e-3, 60, None)
    assert legus.recipe.early_stopping_patience == 10
    assert get_preset("phangs4-compact").stamp_size == 64  # the base upsamples to 224 px
    assert get_preset("m31-binary-compact").recipe.epochs == 100  # the base's, longer than 60
    assert get_preset("open-globular-compact").normalisation == "asinh"  # no zeropoints for r, g, b


def _registry(tmp_path, **files) -> PresetRegistry:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    return PresetRegistry(tmp_path)


def test_extends_takes_the_base_and_changes_only_what_is_listed(tmp_path):
    base = (PRESET_DIR / "legus4.yaml").read_text()
    reg = _registry(tmp_path, base=base, mine="extends: base\nbands: [f555w, f814w]\nrecipe: {epochs: 3}\n")
    assert reg.names() == ["base", "mine"]
    mine = reg["mine"]
    assert mine.name == "mine" and mine.bands == ["f555w", "f814w"] and mine.recipe.epochs == 3
    assert mine.recipe.lr == reg["base"].recipe.lr == 1e-4
    assert mine.scales == [1.0, 1.6, 3.2]


@pytest.mark.parametrize(
    "files, words",
    [
        ({"a": "extends: b\n", "b": "extends: a\n"}, ["loops", "a -> b -> a"]),
        ({"a": "extends: nowhere\n"}, ["a.yaml", "nowhere"]),
        ({"a": "name: other\nbands: [g]\nclasses: [1, 2]\n"}, ["a.yaml", "name"]),
        ({"a": "bands: [g]\nclasses: [1, 2]\nbogus: 1\n"}, ["a.yaml", "bogus"]),
        ({"a": "extends: legus\nrecipe: {epoch: 3}\n", "legus": "bands: [g]\n"}, ["a.yaml", "epoch"]),
        ({"a": "- just\n- a list\n"}, ["a.yaml", "mapping"]),
        ({"a": "bands: [g\n"}, ["a.yaml", "parse"]),
    ],
)
def test_bad_preset_files_name_the_file_and_the_key(tmp_path, files, words):
    reg = _registry(tmp_path, **files)
    with pytest.raises(StarclassError) as err:
        reg.load("a")
    for w in words:
        assert w in str(err.value)


def test_a_new_preset_is_one_file(tmp_path, monkeypatch):
    folder = tmp_path / "presets"
    shutil.copytree(PRESET_DIR, folder)
    (folder / "m31-tiny.yaml").write_text("extends: m31-binary\nstamp_size: 24\ninput_size: null\n")
    monkeypatch.setattr(config_module, "PRESETS", PresetRegistry(folder))
    assert "m31-tiny" in config_module.list_presets()
    cfg = get_preset("m31-tiny")
    assert cfg.threshold == pytest.approx(0.669) and cfg.stamp_size == 24 and cfg.toy_kind == "ground2"
    assert load_config("m31-tiny") == cfg


@pytest.mark.parametrize("name", list_presets())
def test_round_trip_dict_json_yaml(name, tmp_path):
    cfg = get_preset(name)
    d = cfg.to_dict()
    # JSON-safe: survives a text round trip unchanged, and so does the config
    d2 = json.loads(json.dumps(d))
    assert d2 == d
    assert TaskConfig.from_dict(d2) == cfg
    for suffix in (".yaml", ".json"):
        p = save_config(cfg, tmp_path / f"cfg{suffix}")
        assert load_config(p) == cfg


def test_checkpoint_style_string_keys_round_trip():
    # checkpoints store dict keys as strings: merge keys must come back as ints
    cfg = get_preset("m31-binary")
    d = json.loads(json.dumps(cfg.to_dict()))
    assert all(isinstance(k, str) for k in d["merge"])
    back = TaskConfig.from_dict(d)
    assert back.merge == {1: 1, 2: 1, 3: 2, 4: 2}


def test_presets_carry_the_published_numbers():
    legus = get_preset("legus4")
    assert legus.scales == [1.0, 1.6, 3.2] and legus.stamp_size == 32
    assert legus.recipe.lr == 1e-4 and legus.recipe.batch_size == 128 and legus.recipe.optimizer == "adam"
    assert legus.n_channels == 15 and legus.n_classes == 4
    phangs = get_preset("phangs4")
    members = phangs.members()
    assert [m["architecture"] for m in members].count("resnet18") == 10
    assert [m["architecture"] for m in members].count("vgg19_bn") == 10
    assert len({m["seed"] for m in members}) == 20
    assert phangs.input_size == 224
    m31 = get_preset("m31-binary")
    assert m31.bands == ["g", "i"] and m31.stamp_size == 56 and m31.input_size == 224
    assert m31.threshold == pytest.approx(0.669) and m31.positive_class == 1
    assert m31.architecture == "resnet50"
    og = get_preset("open-globular")
    assert og.architecture == "vgg16" and og.arch_options["frozen_layers"] == 10
    assert get_preset("galaxy-cluster").architecture == "smallcnn"
    cc = get_preset("cool-core")
    assert cc.architecture == "resnet18" and cc.n_classes == 3 and cc.n_channels == 1


@pytest.mark.parametrize("name", ["galaxy-cluster", "galaxy-cluster-compact", "cool-core", "cool-core-compact",
                                  "open-globular", "open-globular-compact"])
def test_a_seed_preset_s_pixel_scale_is_that_of_its_stamps_from_the_seed_simulator(name):
    """``pixel_scale`` is the arcsec of a stamp pixel (explain's radii without a WCS, the cutout-size note,
    classify's mosaic check): each cutout is resampled over its whole field to ``stamp_size``. galaxy-cluster
    said 1.0"/px where its simulator's (and the experts') 7' field on 64 px is 6.5625"/px."""
    from starclass.simulate.coolcore import CoolCoreSimConfig
    from starclass.simulate.star_clusters_dss import DSSSimConfig
    from starclass.simulate.xray_candidates import CandidateSimConfig

    cfg = get_preset(name)
    field_arcsec = {  # the simulators' default cutouts: their side on the sky
        "galaxy-cluster": CandidateSimConfig().field_arcmin * 60,  # 7', on 168 px of 2.5"
        "cool-core": CoolCoreSimConfig().size * CoolCoreSimConfig().pixel_arcsec,  # 256 px of 3.9"
        "open-globular": DSSSimConfig().size * DSSSimConfig().pixel_arcsec,  # 224 px of 1"
    }[name.removesuffix("-compact")]
    assert cfg.pixel_scale == pytest.approx(field_arcsec / cfg.stamp_size, rel=1e-9)


def test_n_channels_rgb_counts_three_per_scale():
    cfg = get_preset("legus4", normalisation="rgb")
    assert cfg.n_channels == 9
    assert get_preset("legus4", scales=[1.0]).n_channels == 5


def test_map_classes_merges_and_flags_unknowns():
    cfg = get_preset("m31-binary")
    out = cfg.map_classes(np.array([0, 1, 2, 3, 4, 4.2, np.nan, 7]))
    assert out.tolist() == [-1, 1, 1, 2, 2, 2, -1, -1]
    assert cfg.class_indices([1, 4, 0]).tolist() == [0, 1, -1]
    four = get_preset("legus4")
    assert four.map_classes([1, 2, 3, 4, 0]).tolist() == [1, 2, 3, 4, -1]
    assert four.class_indices([4, 1]).tolist() == [3, 0]
    masked = np.ma.array([1, 2], mask=[False, True])
    assert four.map_classes(masked).tolist() == [1, -1]


def test_decide_applies_the_threshold_to_the_positive_class():
    cfg = get_preset("m31-binary")
    p = np.array([[0.70, 0.30], [0.60, 0.40], [0.669, 0.331]])
    assert cfg.decide(p).tolist() == [1, 2, 1]
    plain = get_preset("legus4")
    assert plain.decide(np.eye(4)[[2, 0]]).tolist() == [3, 1]
    with pytest.raises(StarclassError):
        plain.decide(np.ones((2, 3)))


def test_get_preset_overrides_and_copies():
    a = get_preset("legus4", recipe={"epochs": 2}, stamp_size=24)
    assert a.recipe.epochs == 2 and a.stamp_size == 24
    assert a.recipe.lr == 1e-4  # other recipe fields kept
    assert PRESETS["legus4"].recipe.epochs == 15  # the preset itself is untouched
    a.bands.append("x")
    assert "x" not in get_preset("legus4").bands


def test_load_config_by_name_and_by_file_with_preset(tmp_path):
    assert load_config("legus4") == get_preset("legus4")
    p = tmp_path / "mine.yaml"
    p.write_text("preset: m31-binary\nthreshold: 0.8\nrecipe:\n  epochs: 3\n")
    cfg = load_config(p)
    assert cfg.threshold == 0.8 and cfg.recipe.epochs == 3 and cfg.architecture == "resnet50"


@pytest.mark.parametrize(
    "changes, word",
    [
        ({"classes": [1]}, "classes"),
        ({"normalisation": "weird"}, "normalisation"),
        ({"merge": {1: 9}}, "merge"),
        ({"threshold": 1.5}, "threshold"),
        ({"class_names": ["a"]}, "class_names"),
        ({"scales": [0.5]}, "scales"),
        ({"bands": ["f555w", "f555w"]}, "bands"),
    ],
)
def test_bad_configs_raise_naming_the_field(changes, word):
    with pytest.raises(StarclassError, match=word):
        get_preset("legus4", **changes)


def test_bad_files_and_names(tmp_path):
    with pytest.raises(StarclassError, match="preset"):
        load_config("no-such-task")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nbogus_key: 1\n")
    with pytest.raises(StarclassError, match="bogus_key"):
        load_config(bad)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(StarclassError, match="broken.json"):
        load_config(broken)
    with pytest.raises(StarclassError, match="optimizer"):
        TrainRecipe(optimizer="rmsprop")


def test_member_seeds_from_base_or_list():
    r = TrainRecipe(seeds=7)
    assert [r.member_seed(k) for k in range(3)] == [7, 8, 9]
    r = TrainRecipe(seeds=[3, 1, 4], ensemble_size=3)
    assert [r.member_seed(k) for k in range(3)] == [3, 1, 4]
    with pytest.raises(StarclassError):
        r.member_seed(3)
    cfg = get_preset("legus4", recipe={"ensemble_size": 3, "seeds": 10})
    assert [m["seed"] for m in cfg.members()] == [10, 11, 12]
    with pytest.raises(StarclassError):
        cfg.member(3)


def test_a_task_file_without_name_is_named_after_its_file(tmp_path):
    # a user file extending a preset kept the base's name (m31-real) in every message and
    # manifest; a full config without name: was refused
    part = tmp_path / "five.yaml"
    part.write_text("extends: m31-real\nrecipe:\n  epochs: 1\n")
    assert load_config(part).name == "five"
    full = tmp_path / "mine.yml"
    d = get_preset("m31-real").to_dict()
    del d["name"]
    full.write_text(yaml.safe_dump(d))
    cfg = load_config(full)
    assert cfg.name == "mine" and cfg.classes == get_preset("m31-real").classes
    named = tmp_path / "other.yaml"
    named.write_text("extends: m31-real\nname: given\n")
    assert load_config(named).name == "given"  # an explicit name: still wins


@pytest.mark.parametrize("name", [n for n in list_presets() if n.endswith("-compact")])
def test_a_compact_preset_s_recipe_dropout_is_the_one_its_network_uses(name):
    """open-globular-compact kept the base's recipe.dropout 0.5 (VGG16's), shown by `starclass info` and
    saved with models, while the compact network used its own 0.1."""
    import torch.nn as nn

    from starclass.models.registry import build_model

    cfg = get_preset(name)
    net = build_model(cfg.copy(stamp_size=32), pretrained=False)
    used = [m.p for m in net.modules() if isinstance(m, nn.Dropout)]
    assert len(used) == 1
    # a recipe's 0.0 means "the network's own": only a non-zero value is a claim
    assert cfg.recipe.dropout in (0.0, used[0]), (cfg.recipe.dropout, used)
    # and a recipe's value is honoured, as by the torchvision networks
    override = cfg.copy(stamp_size=32, recipe={"dropout": 0.3})
    assert [m.p for m in build_model(override, pretrained=False).modules() if isinstance(m, nn.Dropout)] == [0.3]


def test_load_config_reads_the_task_stored_with_a_trained_model(tmp_path):
    """A model folder or its manifest.json given as a task was refused ("unknown keys ['format', ...]")."""
    from starclass.learn.checkpoint import write_manifest

    cfg = get_preset("m31-binary").copy(name="mine", stamp_size=48)
    write_manifest(tmp_path, cfg, [{"file": "member_01.pt"}])
    assert load_config(tmp_path) == cfg and load_config(tmp_path / "manifest.json") == cfg
    # a folder that is not a model is named as such
    (tmp_path / "empty").mkdir()
    with pytest.raises(StarclassError, match="neither a file nor a preset.*manifest.json"):
        load_config(tmp_path / "empty")


@pytest.mark.parametrize("overrides, words", [
    ({"split": "random"},
     r"task config 'm31-binary': unknown field 'split' \(a recipe field: give recipe=\{'split': \.\.\.\}\)"),
    ({"recipe": {"epoch": 3}}, r"unknown recipe field 'epoch'.*epochs"),
])
def test_an_unknown_override_is_named_with_the_known_fields(overrides, words):
    """``get_preset("m31-binary", split="random")`` (split is a recipe field) stopped with
    dataclasses' TypeError "TaskConfig.__init__() got an unexpected keyword argument", though the
    docstring promises a StarclassError for a bad override."""
    with pytest.raises(StarclassError, match=words):
        get_preset("m31-binary", **overrides)
    # the known ones still apply
    assert get_preset("m31-binary", stamp_size=24, recipe={"split": "random"}).recipe.split == "random"


@pytest.mark.parametrize("overrides, words", [
    ({"stamp_size": "big"}, r"stamp_size='big' is not a whole number"),
    ({"input_size": 2.5}, r"input_size=2.5 is not a whole number"),
    ({"threshold": "high"}, r"threshold='high' is not a number"),
    ({"pixel_scale": "x"}, r"pixel_scale='x' is not a number"),
])
def test_a_field_that_is_not_a_number_is_named(overrides, words):
    """get_preset("legus4", stamp_size="big") stopped with Python's bare "invalid literal for int()
    with base 10: 'big'", naming neither the field nor the config."""
    with pytest.raises(StarclassError, match=words):
        get_preset("m31-binary", **overrides)
