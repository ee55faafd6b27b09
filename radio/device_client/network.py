"""What the receiver can tell of its network, for its heartbeat: the type of the interface its
default route goes through, and the Wi-Fi signal. Linux only, read from /proc and /sys under
`root` (a test passes a fake tree); whatever cannot be read is left out, never guessed.
"""
from __future__ import annotations

from pathlib import Path

RTF_UP = 0x1
CELLULAR_PREFIXES = ("wwan", "ppp")
ARPHRD_ETHER = "1"
SIGNAL_DBM = range(-150, 1)  # a level outside it is a driver's own scale, not dBm


def network_status(root: Path = Path("/")) -> dict | None:
    """{"type": ethernet|wifi|cellular|other, "signal_dbm": int (Wi-Fi, when known)}, or None."""
    interface = default_interface(root)
    if interface is None:
        return None
    kind = interface_type(root, interface)
    if kind is None:
        return None
    status = {"type": kind}
    signal = wifi_signal(root, interface) if kind == "wifi" else None
    if signal is not None:
        status["signal_dbm"] = signal
    return status


def default_interface(root: Path) -> str | None:
    """The interface of the default route that is up, with the lowest metric."""
    routes = []
    for fields in _rows(root / "proc/net/route", header_lines=1):
        try:  # Iface Destination Gateway Flags RefCnt Use Metric Mask ...
            interface, destination, mask = fields[0], fields[1], fields[7]
            flags, metric = int(fields[3], 16), int(fields[6])
        except (IndexError, ValueError):
            continue
        if destination == mask == "00000000" and flags & RTF_UP:
            routes.append((metric, interface))
    return min(routes)[1] if routes else None


def interface_type(root: Path, interface: str) -> str | None:
    folder = root / "sys/class/net" / interface
    if (folder / "wireless").is_dir():
        return "wifi"
    if interface.startswith(CELLULAR_PREFIXES):
        return "cellular"
    try:
        link_type = (folder / "type").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return "ethernet" if link_type == ARPHRD_ETHER else "other"


def wifi_signal(root: Path, interface: str) -> int | None:
    """The signal level column of /proc/net/wireless ("-52." in dBm) for the interface."""
    for fields in _rows(root / "proc/net/wireless", header_lines=2):
        if fields and fields[0].rstrip(":") == interface:
            try:
                level = round(float(fields[3].rstrip(".")))
            except (IndexError, ValueError):
                return None
            return level if level in SIGNAL_DBM else None
    return None


def _rows(path: Path, header_lines: int) -> list[list[str]]:
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [line.split() for line in lines[header_lines:]]
