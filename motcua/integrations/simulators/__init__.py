"""Local stand-ins for the national systems, shipped with the demo so the whole path works without internet.

Each simulator is a small HTTP server; `motcua simulate NAME` runs one and `motcua demo` starts them all. They
follow the national systems as far as the sources describe them and no further (docs/integrations.md).
"""

# Name → (module, default port). The module exposes `build(port) -> Simulator`.
SIMULATORS = {
    "dvcqg": ("motcua.integrations.simulators.dvcqg", 8101),
    "payment": ("motcua.integrations.simulators.payment", 8103),
    "vneid": ("motcua.integrations.simulators.vneid", 8102),
}
