"""Which IP addresses an import may fetch from: the public internet's, nothing else.

``ipaddress``'s ``is_global`` answers for the address as written, but several IPv6 forms
carry an IPv4 address that the packets end up at: this machine's own IPv4 stack (mapped,
compatible), a NAT64 gateway or an SIIT translator on the way (``64:ff9b::/96``,
``64:ff9b:1::/48``, ``::ffff:0:0:0/96``), a 6to4 relay (``2002::/16``) or a Teredo server and
client (``2001::/32``). Python 3.11 holds most of these global, so ``http://[64:ff9b::a00:1]/``
would reach 10.0.0.1 through a NAT64 gateway. Here the IPv4 address inside decides, checked as
an IPv4 address; so the answer is the same whichever Python's table of special prefixes
runs. Site-local ``fec0::/10`` is deprecated but still routed inside some networks: refused.
"""

import ipaddress

# Forms whose last 32 bits are the IPv4 address. RFC 6052 lets a local-use NAT64 prefix be
# shorter than /96, with the IPv4 address elsewhere; /96 is the usual layout, and the only
# one the well-known prefix may use.
LAST_32_BITS = [
    ipaddress.IPv6Network("::ffff:0:0/96"),  # IPv4-mapped
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible (and :: and ::1, whose IPv4 is not global)
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # IPv4-translated (SIIT)
    ipaddress.IPv6Network("64:ff9b::/96"),  # NAT64, well-known prefix
    ipaddress.IPv6Network("64:ff9b:1::/48"),  # NAT64, local-use prefix
]
SITE_LOCAL = ipaddress.IPv6Network("fec0::/10")


def embedded_ipv4(address):
    """The IPv4 addresses inside the IPv6 ``address`` (both of Teredo's); none for others."""
    address = ipaddress.ip_address(address)
    if address.version == 4:
        return []
    for network in LAST_32_BITS:
        if address in network:
            return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    if address.sixtofour:
        return [address.sixtofour]
    if address.teredo:
        return list(address.teredo)
    return []


def is_public(address):
    """Whether ``address`` (a string or an ``ipaddress`` address) is on the public internet."""
    address = ipaddress.ip_address(address)
    if address.version == 6 and address in SITE_LOCAL:
        return False
    if inside := embedded_ipv4(address):
        return all(ipv4.is_global for ipv4 in inside)
    return address.is_global
