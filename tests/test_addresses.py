import pytest

from articleapp import addresses

# 93.184.216.34 (0x5db8d822) stands for a public IPv4 address; 10.0.0.1 (0xa000001),
# 127.0.0.1 (0x7f000001) and 169.254.169.254 (0xa9fea9fe, a cloud's metadata service) for
# ones only this machine or its network can reach. In a Teredo address the client's address
# is stored inverted: 0xa24727dd is 93.184.216.34, 0xf5fffffe is 10.0.0.1.
PUBLIC = [
    "93.184.216.34",
    "2606:4700:4700::1111",
    "::ffff:93.184.216.34",
    "::93.184.216.34",
    "64:ff9b::5db8:d822",
    "64:ff9b:1::5db8:d822",
    "2002:5db8:d822::1",
    "2001:0:4136:e378:8000:63bf:a247:27dd",
]
PRIVATE = [
    "10.0.0.1",
    "127.0.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::",
    "::1",
    "fe80::1",
    "fc00::1",
    # IPv4-mapped, -compatible and -translated
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::10.0.0.1",
    "::127.0.0.1",
    "::ffff:0:a00:1",
    # NAT64, the well-known prefix and the local-use one
    "64:ff9b::a00:1",
    "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::a00:1",
    "64:ff9b:1:abcd::7f00:1",
    # 6to4
    "2002:a00:1::1",
    "2002:7f00:1::",
    "2002:a9fe:a9fe:1::1",
    # Teredo: a private server, a private client
    "2001:0:a00:1:8000:63bf:a247:27dd",
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",
    # site-local, deprecated but still routed by some networks
    "fec0::1",
    "fec0::5db8:d822",
    "feff:ffff::1",
]


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_fetched(address):
    """A public address, or an IPv6 one that leads to a public IPv4 address, may be fetched."""
    assert addresses.is_public(address)


@pytest.mark.parametrize("address", PRIVATE)
def test_private_addresses_are_refused(address):
    """This machine and private networks are refused, also inside an IPv6 address."""
    assert not addresses.is_public(address)


@pytest.mark.parametrize(
    ("address", "inside"),
    [
        ("::ffff:10.0.0.1", ["10.0.0.1"]),
        ("64:ff9b:1:abcd::a00:1", ["10.0.0.1"]),
        ("2002:a00:1:ffff::1", ["10.0.0.1"]),
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", ["65.54.227.120", "10.0.0.1"]),
        ("2606:4700:4700::1111", []),
        ("10.0.0.1", []),
    ],
)
def test_the_ipv4_addresses_inside(address, inside):
    """Each form gives the IPv4 address(es) its packets end up at; others give none."""
    assert [str(ipv4) for ipv4 in addresses.embedded_ipv4(address)] == inside
