#!/usr/bin/env python3
"""Counts what reaches one interface without joining anything: UDP datagrams to the watched
groups (with the first and last time), IGMP/MLD queries (time, source, version) and membership
reports (time, records). A bridge port that snooping prunes gets nothing; a host's own UDP socket
could not tell, since it only sees groups it joined. Times are CLOCK_MONOTONIC seconds at receipt:
the kernel's packet timestamps are not usable here, since an outgoing packet may carry its
monotonic departure time instead. With --outgoing, what the host itself sends counts too.

usage: capture.py [--outgoing] INTERFACE SECONDS GROUP:PORT...   prints one JSON object when done
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
# Record types of a v1/v2 report, leave or done, in IGMPv3/MLDv2 terms: IS_EX({}) and TO_IN({}).
IS_EXCLUDE, TO_INCLUDE = 2, 3


def ipv4(frame, at, watched, report):
    header = (frame[0] & 0x0F) * 4
    protocol, source, destination = frame[9], frame[12:16], frame[16:20]
    body = frame[header:]
    if protocol == 17 and len(body) >= 8:
        count_udp(watched, report, at, ipaddress.ip_address(destination), struct.unpack("!H", body[2:4])[0])
    elif protocol == 2 and body and body[0] == 0x11:
        version = 3 if len(body) >= 12 else 2
        report["queries"].append(query(at, source, version, body[4:8]))
    elif protocol == 2 and body and body[0] in (0x16, 0x17):
        kind = IS_EXCLUDE if body[0] == 0x16 else TO_INCLUDE
        report["reports"].append({"at": at, "records": [[kind, address(body[4:8])]]})
    elif protocol == 2 and body and body[0] == 0x22:
        report["reports"].append({"at": at, "records": records(body, 8, 4)})


def ipv6(frame, at, watched, report):
    next_header, offset = frame[6], 40
    while next_header in (0, 60) and offset + 8 <= len(frame):
        next_header, offset = frame[offset], offset + (frame[offset + 1] + 1) * 8
    body, source, destination = frame[offset:], frame[8:24], frame[24:40]
    if next_header == 17 and len(body) >= 8:
        count_udp(watched, report, at, ipaddress.ip_address(destination), struct.unpack("!H", body[2:4])[0])
    elif next_header == 58 and body and body[0] == 130:
        version = 2 if len(body) >= 28 else 1
        report["queries"].append(query(at, source, version, body[8:24]))
    elif next_header == 58 and body and body[0] in (131, 132):
        kind = IS_EXCLUDE if body[0] == 131 else TO_INCLUDE
        report["reports"].append({"at": at, "records": [[kind, address(body[8:24])]]})
    elif next_header == 58 and body and body[0] == 143:
        report["reports"].append({"at": at, "records": records(body, 8, 16)})


def address(raw):
    return str(ipaddress.ip_address(bytes(raw)))


def records(body, offset, size):
    """[record type, group] of each record of an IGMPv3 / MLDv2 report."""
    found = []
    for _ in range(struct.unpack("!H", body[offset - 2 : offset])[0]):
        if offset + 4 + size > len(body):
            break
        kind, aux, sources = body[offset], body[offset + 1], struct.unpack("!H", body[offset + 2 : offset + 4])[0]
        found.append([kind, address(body[offset + 4 : offset + 4 + size])])
        offset += 4 + size * (1 + sources) + aux * 4
    return found


def query(at, source, version, group):
    return {
        "at": at,
        "source": str(ipaddress.ip_address(bytes(source))),
        "version": version,
        "group": str(ipaddress.ip_address(bytes(group))),
        "protocol": "igmp" if len(source) == 4 else "mld",
    }


def count_udp(watched, report, at, destination, port):
    key = f"{destination}:{port}"
    if key in watched:
        report["udp"][key] += 1
        report["udp_first_at"].setdefault(key, at)
        report["udp_last_at"][key] = at


def main():
    args = sys.argv[1:]
    outgoing = args[0] == "--outgoing"
    if outgoing:
        args = args[1:]
    interface, seconds, targets = args[0], float(args[1]), args[2:]
    watched = {str(ipaddress.ip_address(t.rsplit(":", 1)[0].strip("[]"))) + ":" + t.rsplit(":", 1)[1] for t in targets}
    report = {"udp": {key: 0 for key in watched}, "udp_first_at": {}, "udp_last_at": {}, "queries": [], "reports": []}
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ALL))
    sock.bind((interface, 0))
    print(json.dumps({"ready": True}), flush=True)
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if not select.select([sock], [], [], left)[0]:
            continue
        frame, origin = sock.recvfrom(65535)
        at = time.monotonic()
        if origin[2] == PACKET_OUTGOING and not outgoing:
            continue
        if origin[1] == 0x0800:
            ipv4(frame, at, watched, report)
        elif origin[1] == 0x86DD:
            ipv6(frame, at, watched, report)
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
