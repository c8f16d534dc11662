"""The loader: positions of keys and values, YAML 1.1 traps, and the parse cache."""

from __future__ import annotations

from pathlib import Path

from emergence_atlas.loading import load_yaml, parse_yaml_text


def test_positions_of_keys_and_values():
    doc, diags = parse_yaml_text("a: 1\nb:\n  c: [x, y]\n", Path("f.yaml"))
    assert diags == []
    assert doc.key_positions[("b", "c")] == (3, 3)
    assert doc.value_positions[("b", "c", 1)] == (3, 10)
    assert doc.position(("b", "c", 1, "deeper"), of_value=True) == (3, 10)


def test_yaml_1_1_traps_reach_the_schema_as_written():
    doc, _ = parse_yaml_text("flops: 2e22\nflag: NO\ntime: 1:30\n", Path("f.yaml"))
    assert doc.data == {"flops": "2e22", "flag": False, "time": 90}


def test_parse_cache_reuses_clean_parses_and_never_stale_ones(tmp_path):
    cache = tmp_path / "cache"
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb: [1, 2]\n", encoding="utf-8")
    first, _ = load_yaml(path, cache_dir=cache)
    assert len(list(cache.rglob("*.marshal"))) == 1
    again, diags = load_yaml(path, cache_dir=cache)
    assert diags == [] and again.data == first.data and again.key_positions == first.key_positions
    path.write_text("a: 2\nb: [1, 2]\n", encoding="utf-8")
    edited, _ = load_yaml(path, cache_dir=cache)
    assert edited.data["a"] == 2
    path.write_text("a: 2\na: 3\n", encoding="utf-8")  # problems are never cached
    _, problems = load_yaml(path, cache_dir=cache)
    _, problems_again = load_yaml(path, cache_dir=cache)
    assert [d.code for d in problems] == [d.code for d in problems_again] == ["E106"]
    assert len(list(cache.rglob("*.marshal"))) == 2
