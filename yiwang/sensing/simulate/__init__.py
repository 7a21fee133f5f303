"""``yiwang simulate``: realistic device streams for the demo district (see docs/sensing.md, "Simulator").

* :mod:`.generators` — pure, seeded streams per device and the scenarios (rainstorm, silent household);
* :mod:`.runner` — the simulated clock (``speed`` × real time) and progress;
* :mod:`.sinks` — MQTT (one client per device, its own credentials) or the HTTP bulk endpoint;
* :mod:`.registry` — the demo's devices from the database, with their demo keys.
"""
