"""Network detection from fake /proc and /sys trees laid out as Linux writes them."""
from __future__ import annotations

from pathlib import Path

import pytest

from radio.device_client.network import network_status

ROUTE_HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
MASKS = {"00000000": "00000000", "0002A8C0": "00FFFFFF"}  # the default route, a local network
WIRELESS = ("Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE\n"
            " face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22\n"
            "{interface}: 0000   48.  -62.  -256        0      0      0      3      0        0\n")


def fake_tree(root: Path, routes: list[tuple[str, str, str, int]], links: dict[str, str | None],
              wireless: str | None = None) -> Path:
    """routes: (interface, destination, flags, metric); links: interface → its `type`, or None for
    a Wi-Fi interface (a `wireless` folder, type 1 as the kernel says)."""
    (root / "proc/net").mkdir(parents=True)
    lines = [f"{name}\t{destination}\t010200C0\t{flags}\t0\t0\t{metric}\t{MASKS[destination]}\t0\t0\t0\n"
             for name, destination, flags, metric in routes]
    (root / "proc/net/route").write_text(ROUTE_HEADER + "".join(lines))
    for name, link_type in links.items():
        folder = root / "sys/class/net" / name
        folder.mkdir(parents=True)
        (folder / "type").write_text(f"{link_type or 1}\n")
        if link_type is None:
            (folder / "wireless").mkdir()
    if wireless is not None:
        (root / "proc/net/wireless").write_text(WIRELESS.format(interface=wireless))
    return root


def test_wifi_with_its_signal(tmp_path):
    root = fake_tree(tmp_path, [("wlan0", "00000000", "0003", 600), ("wlan0", "0002A8C0", "0001", 600)],
                     {"wlan0": None, "lo": "772"}, wireless="wlan0")
    assert network_status(root) == {"type": "wifi", "signal_dbm": -62}


def test_wifi_without_a_readable_signal_has_only_its_type(tmp_path):
    root = fake_tree(tmp_path, [("wlan0", "00000000", "0003", 600)], {"wlan0": None})
    assert network_status(root) == {"type": "wifi"}


def test_ethernet_is_the_default_route_with_the_lowest_metric(tmp_path):
    root = fake_tree(tmp_path, [("wlan0", "00000000", "0003", 600), ("eth0", "00000000", "0003", 100)],
                     {"eth0": "1", "wlan0": None}, wireless="wlan0")
    assert network_status(root) == {"type": "ethernet"}


@pytest.mark.parametrize("interface, link_type, kind", [("wwan0", "1", "cellular"), ("ppp0", "512", "cellular"),
                                                        ("tun0", "65534", "other")])
def test_cellular_by_name_and_other_links(tmp_path, interface, link_type, kind):
    root = fake_tree(tmp_path, [(interface, "00000000", "0003", 0)], {interface: link_type})
    assert network_status(root) == {"type": kind}


def test_no_default_route_a_route_that_is_down_or_nothing_readable_says_nothing(tmp_path):
    assert network_status(tmp_path / "empty") is None  # not Linux, or /proc unreadable
    local_only = fake_tree(tmp_path / "local", [("eth0", "0002A8C0", "0001", 0)], {"eth0": "1"})
    assert network_status(local_only) is None
    down = fake_tree(tmp_path / "down", [("eth0", "00000000", "0002", 0)], {"eth0": "1"})
    assert network_status(down) is None
    unknown = fake_tree(tmp_path / "unknown", [("eth1", "00000000", "0003", 0)], {})  # no /sys entry for it
    assert network_status(unknown) is None


def test_a_signal_not_in_dbm_is_left_out(tmp_path):
    root = fake_tree(tmp_path, [("wlan0", "00000000", "0003", 0)], {"wlan0": None}, wireless="wlan0")
    text = (root / "proc/net/wireless").read_text().replace("-62.", "194.")  # a driver's own 0-255 scale
    (root / "proc/net/wireless").write_text(text)
    assert network_status(root) == {"type": "wifi"}
