"""Open311 GeoReport v2 for city operations (一网统管): civic reporting apps speak to the platform.

A small Django app of its own (label ``open311``): API keys of the client apps and the Open311 side of
each case they reported. Reports enter the same loop as every other channel through
``yiwang.operations.actions.report_case``.
"""
