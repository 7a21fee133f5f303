"""The same seed gives the identical district; different seeds give different ones."""

import json

from yiwang.demo.district import build_district


def _dump(d):
    return json.dumps([d.territory_geojson(), d.poi_geojson()], sort_keys=True, ensure_ascii=False)


def test_same_seed_gives_identical_output():
    assert _dump(build_district(42)) == _dump(build_district(42))


def test_different_seeds_give_different_districts():
    a, b = build_district(1, with_pois=False), build_district(2, with_pois=False)
    assert a.level(1)[0].geometry.wkb != b.level(1)[0].geometry.wkb
    assert [u.name for u in a.level(2)] != [u.name for u in b.level(2)]
    assert [u.population for u in a.level(3)] != [u.population for u in b.level(3)]
