"""一网通办 — one-stop government services: catalogue, applications, e-licences, bundles."""
