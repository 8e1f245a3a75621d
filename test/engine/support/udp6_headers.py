#!/usr/bin/env python3
"""Reads the headers of the IPv6 UDP datagrams to one group and port that reach an interface,
as they are on the wire: destination MAC, source address, hop limit, traffic class, and whether
the UDP checksum is right. A receiving socket cannot tell: it sees no hop limit or MAC, and the
kernel does not verify a checksum it was told is fine (CHECKSUM_UNNECESSARY / CHECKSUM_PARTIAL).
A datagram whose checksum the sender's kernel has left to offload (TP_STATUS_CSUMNOTREADY, a
CHECKSUM_PARTIAL skb) carries the pseudo-header sum instead: that is what is checked for it, and
it is counted as partial.

usage: udp6_headers.py INTERFACE SECONDS GROUP PORT [COUNT]
Prints "ready" once capturing, then one JSON object after SECONDS or COUNT datagrams.
"""
import ipaddress
import json
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IPV6 = 0x86DD
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_CSUMNOTREADY = 1 << 3
ETH_HLEN = 14
IPV6_HLEN = 40
UDP = 17


def ones_sum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total > 0xFFFF:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def checksum_right(ip, udp, partial):
    pseudo = ip[8:40] + struct.pack("!IxxxB", len(udp), UDP)
    if partial:  # the pseudo-header sum, which the device (or skb_checksum_help) completes
        check = struct.unpack("!H", udp[6:8])[0]
        return ones_sum(pseudo) % 0xFFFF == check % 0xFFFF
    return udp[6:8] != b"\0\0" and ones_sum(pseudo + udp) == 0xFFFF


def count(table, key):
    table[key] = table.get(key, 0) + 1


def main():
    ifname, seconds, group, port = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    wanted = int(sys.argv[5]) if len(sys.argv) > 5 else None
    group_bytes = ipaddress.IPv6Address(group).packed
    # ETH_P_ALL: a tap, which sees a datagram before tc ingress (a relay's program consumes it there).
    capture = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    capture.bind((ifname, ETH_P_ALL))
    capture.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    capture.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)  # a stream's burst while Python sums
    report = {"datagrams": 0, "partial": 0, "checksums": {"right": 0, "wrong": 0}, "payloadBytes": 0,
              "destinationMacs": {}, "sources": {}, "hopLimits": {}, "trafficClasses": {}}
    print("ready", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (wanted is None or report["datagrams"] < wanted):
        if not select.select([capture], [], [], max(0.0, deadline - time.monotonic()))[0]:
            continue
        frame, ancillary, _, address = capture.recvmsg(65536, socket.CMSG_SPACE(20))
        if address[2] == PACKET_OUTGOING or address[1] != ETH_P_IPV6 or len(frame) < ETH_HLEN + IPV6_HLEN + 8:
            continue
        ip = frame[ETH_HLEN:]
        udp = ip[IPV6_HLEN:]
        if ip[6] != UDP or ip[24:40] != group_bytes or struct.unpack("!H", udp[2:4])[0] != port:
            continue
        status = next((struct.unpack("I", data[:4])[0] for level, kind, data in ancillary
                       if level == SOL_PACKET and kind == PACKET_AUXDATA), 0)
        partial = bool(status & TP_STATUS_CSUMNOTREADY)
        udp = udp[:struct.unpack("!H", udp[4:6])[0]]
        report["datagrams"] += 1
        report["partial"] += partial
        report["payloadBytes"] += len(udp) - 8
        count(report["checksums"], "right" if checksum_right(ip, udp, partial) else "wrong")
        count(report["destinationMacs"], frame[0:6].hex(":"))
        count(report["sources"], str(ipaddress.IPv6Address(ip[8:24])))
        count(report["hopLimits"], str(ip[7]))
        count(report["trafficClasses"], str(((ip[0] & 0x0F) << 4) | (ip[1] >> 4)))
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
