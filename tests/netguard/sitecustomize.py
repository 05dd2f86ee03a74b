"""Loaded by every Python subprocess the tests start (via PYTHONPATH): no non-loopback connection."""

from netguard import install

install()
