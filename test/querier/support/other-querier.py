#!/usr/bin/env python3
"""A second IGMPv3 querier for the election test: sends general queries from SOURCE on INTERFACE
every INTERVAL seconds for SECONDS seconds, then goes silent (as a querier that fails does).

usage: other-querier.py INTERFACE SOURCE INTERVAL SECONDS
"""
import socket
import struct
import sys
import time


def checksum(data):
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def general_query(interval):
    # type 0x11, max response 1 s (10 tenths), group 0, QRV 2, QQIC = interval, no sources
    body = struct.pack("!BBH4sBBH", 0x11, 10, 0, bytes(4), 2, interval, 0)
    return body[:2] + struct.pack("!H", checksum(body)) + body[4:]


def main():
    interface, source, interval, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, interface.encode())
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, bytes([0x94, 0x04, 0, 0]))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(source))
    sock.bind((source, 0))
    print("ready", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sock.sendto(general_query(interval), ("224.0.0.1", 0))
        time.sleep(interval)


if __name__ == "__main__":
    main()
