"""A small fixture territory built in code: 1 district, 3 subdistricts, 6 grids, 3 level-4 units.

The district is the box 121.40–121.46 E, 31.20–31.24 N. Subdistrict S<i> is the i-th vertical strip
(0.02° wide); grid G<i>a is the southern half of that strip, G<i>b the northern half.
"""

import copy

X0, Y0, X1, Y1 = 121.40, 31.20, 121.46, 31.24
YM = 31.22


def box(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def feature(code, level, kind, parent, geometry, **props):
    properties = {"code": code, "name": f"单元{code}", "name_en": f"Unit {code}", "level": level, "kind": kind}
    properties["parent"] = parent
    properties.update(props)
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def small_territory(**extra) -> dict:
    features = [feature("D1", 1, "district", None, box(X0, Y0, X1, Y1), population=90000)]
    for i in range(3):
        x0, x1 = round(X0 + 0.02 * i, 2), round(X0 + 0.02 * (i + 1), 2)
        features.append(feature(f"S{i + 1}", 2, "subdistrict" if i else "town", "D1", box(x0, Y0, x1, Y1)))
        features.append(feature(f"G{i + 1}a", 3, "grid", f"S{i + 1}", box(x0, Y0, x1, YM)))
        features.append(feature(f"G{i + 1}b", 3, "grid", f"S{i + 1}", box(x0, YM, x1, Y1)))
    features.append(feature("R1", 4, "residential", "G1a", box(121.402, 31.202, 121.410, 31.210), population=3000))
    features.append(feature("M1", 4, "metro_station", "G1a", box(121.405, 31.205, 121.412, 31.208)))
    features.append(feature("P1", 4, "park", "G3b", box(121.445, 31.225, 121.455, 31.235)))
    collection = {"type": "FeatureCollection", "features": features}
    collection.update(extra)
    return collection


def find(collection: dict, code: str) -> dict:
    return next(f for f in collection["features"] if f["properties"]["code"] == code)


def changed(collection: dict, code: str, **props) -> dict:
    """A deep copy of ``collection`` with the properties of ``code`` changed."""
    out = copy.deepcopy(collection)
    find(out, code)["properties"].update(props)
    return out


def poi(code, kind, lon, lat, **props):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"code": code, "kind": kind, "name": f"点{code}", **props},
    }


def poi_collection(*features, **extra) -> dict:
    return {"type": "FeatureCollection", "features": list(features), **extra}
