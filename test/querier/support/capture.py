#!/usr/bin/env python3
"""Counts what reaches one interface without joining anything: UDP datagrams to the watched
groups and IGMP/MLD queries (with their arrival times and sources). A bridge port that snooping
prunes gets nothing; a host's own UDP socket could not tell, since it only sees groups it joined.

usage: capture.py INTERFACE SECONDS GROUP:PORT...   prints one JSON object when done
"""
import ipaddress
import json
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def ipv4(frame, watched, report):
    header = (frame[0] & 0x0F) * 4
    protocol, source, destination = frame[9], frame[12:16], frame[16:20]
    body = frame[header:]
    if protocol == 17 and len(body) >= 8:
        count_udp(watched, report, ipaddress.ip_address(destination), struct.unpack("!H", body[2:4])[0])
    elif protocol == 2 and body and body[0] == 0x11:
        version = 3 if len(body) >= 12 else 2
        report["queries"].append(query(source, version, body[4:8]))


def ipv6(frame, watched, report):
    next_header, at = frame[6], 40
    while next_header in (0, 60) and at + 8 <= len(frame):
        next_header, at = frame[at], at + (frame[at + 1] + 1) * 8
    body, source, destination = frame[at:], frame[8:24], frame[24:40]
    if next_header == 17 and len(body) >= 8:
        count_udp(watched, report, ipaddress.ip_address(destination), struct.unpack("!H", body[2:4])[0])
    elif next_header == 58 and body and body[0] == 130:
        version = 2 if len(body) >= 28 else 1
        report["queries"].append(query(source, version, body[8:24]))


def query(source, version, group):
    return {
        "at": time.monotonic(),
        "source": str(ipaddress.ip_address(bytes(source))),
        "version": version,
        "group": str(ipaddress.ip_address(bytes(group))),
        "protocol": "igmp" if len(source) == 4 else "mld",
    }


def count_udp(watched, report, destination, port):
    key = f"{destination}:{port}"
    if key in watched:
        report["udp"][key] += 1


def main():
    interface, seconds, targets = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    watched = {str(ipaddress.ip_address(t.rsplit(":", 1)[0].strip("[]"))) + ":" + t.rsplit(":", 1)[1] for t in targets}
    report = {"udp": {key: 0 for key in watched}, "queries": []}
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
    sock.bind((interface, 0))
    print(json.dumps({"ready": True}), flush=True)
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([sock], [], [], left)[0]:
            continue
        frame, address = sock.recvfrom(65535)
        if address[2] == PACKET_OUTGOING:
            continue
        if address[1] == 0x0800:
            ipv4(frame, watched, report)
        elif address[1] == 0x86DD:
            ipv6(frame, watched, report)
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
