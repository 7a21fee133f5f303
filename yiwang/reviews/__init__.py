"""好差评 — five-level ratings of any service act or case, and the rectification of bad ratings.

Other contexts open a rating opportunity for their subject (``actions.open_opportunity``) and may
register a hook that reacts to a bad rating (``hooks.register_bad_rating_hook``). This package never
imports operations or services: the dependency goes the other way.
"""
