"""Codes of the demo organisation units that territory units point at (one convention, one place)."""

OPS_CENTRE = "ORG-OPS"


def grid_centre_code(subdistrict_code: str) -> str:
    return f"ORG-GC-{subdistrict_code}"


def grid_team_code(grid_code: str) -> str:
    return f"ORG-GT-{grid_code}"


def neighbourhood_code(residential_code: str) -> str:
    return f"ORG-NC-{residential_code}"
