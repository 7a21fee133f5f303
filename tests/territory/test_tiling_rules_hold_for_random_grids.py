"""Property: a random exact tiling is accepted; moving one grid's edge (gap or overlap) is refused for it."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.territory.builders import box, feature
from yiwang.core.actor import Actor
from yiwang.territory.actions import ImportRefused, import_territory

pytestmark = pytest.mark.django_db

X0, X1, Y0, Y1 = 121.40, 121.44, 31.20, 31.23


def territory(cuts: list[float], moved: int | None = None, shift: float = 0.0) -> dict:
    """One district = one subdistrict cut into vertical grid strips at ``cuts``; grid ``moved`` has its
    east edge shifted by ``shift`` degrees."""
    xs = [X0, *sorted(cuts), X1]
    features = [
        feature("D", 1, "district", None, box(X0, Y0, X1, Y1)),
        feature("S", 2, "subdistrict", "D", box(X0, Y0, X1, Y1)),
    ]
    for i in range(len(xs) - 1):
        east = xs[i + 1] + (shift if i == moved else 0.0)
        features.append(feature(f"G{i:02d}", 3, "grid", "S", box(xs[i], Y0, east, Y1)))
    return {"type": "FeatureCollection", "features": features}


cut_lists = st.lists(st.integers(1, 399), min_size=1, max_size=6, unique=True).map(
    lambda ks: [round(X0 + k * 1e-4, 4) for k in ks]
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=cut_lists, data=st.data())
def test_exact_tilings_pass_and_a_moved_edge_is_named(cuts, data):
    assert import_territory(Actor.system(), territory(cuts), dry_run=True).dry_run
    n = len(cuts)  # grids 0..n-1 have an inner east edge
    moved = data.draw(st.integers(0, n - 1), label="moved")
    widths = [b - a for a, b in zip([X0, *sorted(cuts)], [*sorted(cuts), X1], strict=True)]
    # shrink (gap) or grow (overlap) by up to half the narrower neighbour, at least ~1 m
    limit = min(widths[moved], widths[moved + 1]) / 2
    shift = data.draw(st.floats(1e-5, limit), label="size") * data.draw(st.sampled_from([-1, 1]), label="sign")
    with pytest.raises(ImportRefused) as info:
        import_territory(Actor.system(), territory(cuts, moved, shift), dry_run=True)
    named = {p.code for p in info.value.problems}
    if shift < 0:
        assert "S" in named  # the parent reports the gap
    else:
        assert f"G{moved:02d}" in named  # the grown grid reports the overlap with its neighbour
