/* The eBPF datapath's maps as plain C: shared by the BPF program (relay_datapath.bpf.c, compiled
 * by clang for the BPF target) and the C++ side that fills and reads the maps. Fixed-width fields
 * only, no pointers, so both compilers lay them out alike (checked by static assertions). */
#ifndef MCR_EBPF_DATAPATH_LAYOUT_H
#define MCR_EBPF_DATAPATH_LAYOUT_H

#ifdef __bpf__
#include <linux/types.h>
typedef __u8 mcr_u8;
typedef __u16 mcr_u16;
typedef __u32 mcr_u32;
typedef __u64 mcr_u64;
typedef __s64 mcr_s64;
#else
#include <stdint.h>
typedef uint8_t mcr_u8;
typedef uint16_t mcr_u16;
typedef uint32_t mcr_u32;
typedef uint64_t mcr_u64;
typedef int64_t mcr_s64;
#endif

/* A relay with more outputs than this stays on the socket path (the program unrolls its
 * per-output loop up to here). */
#define MCR_EBPF_MAX_OUTPUTS 16
/* Relays and outputs the kernel datapath can hold at once; past that, relays use sockets. */
#define MCR_EBPF_MAX_RELAYS 1024
#define MCR_EBPF_MAX_OUTPUT_SLOTS 4096
/* outputs[i].ttl value meaning "the ingress TTL minus one". */
#define MCR_EBPF_TTL_INHERIT 0
/* mcr_rule.rp_filter: the ingress interface's effective net.ipv4.conf rp_filter, as the IP input
 * path (which the program runs before) would apply it to the datagram's source. */
#define MCR_EBPF_RP_FILTER_OFF 0
#define MCR_EBPF_RP_FILTER_STRICT 1
#define MCR_EBPF_RP_FILTER_LOOSE 2

/* Rule key: addresses and port in network byte order; saddr 0 = any source. */
struct mcr_rule_key {
  mcr_u32 ifindex;
  mcr_u32 saddr;
  mcr_u32 daddr;
  mcr_u16 dport;
  mcr_u16 pad;
};

struct mcr_rule_output {
  mcr_u32 ifindex;      /* egress interface */
  mcr_u32 counter_slot; /* index into output_counters */
  mcr_u32 saddr;        /* network byte order */
  mcr_u32 daddr;        /* network byte order */
  mcr_u16 dport;        /* network byte order */
  mcr_u8 ttl;           /* 1..255, or MCR_EBPF_TTL_INHERIT */
  mcr_u8 tos;           /* DSCP << 2 */
  mcr_u8 dmac[6];
  mcr_u8 smac[6];
};

struct mcr_rule {
  mcr_u32 relay_slot; /* index into relay_counters */
  mcr_u32 output_count;
  mcr_u32 rp_filter; /* MCR_EBPF_RP_FILTER_*; IPv6 has no rp_filter */
  mcr_u32 pad;
  struct mcr_rule_output outputs[MCR_EBPF_MAX_OUTPUTS];
};

/* IPv6 relays have their own rule map (rules6): the same rule with 128-bit addresses. IPv4 and
 * IPv6 relays never share a rule (v4<->v6 translation stays on the socket path). */
struct mcr_rule6_key {
  mcr_u32 ifindex;
  mcr_u16 dport; /* network byte order */
  mcr_u16 pad;
  mcr_u8 saddr[16]; /* all zero = any source */
  mcr_u8 daddr[16];
};

struct mcr_rule6_output {
  mcr_u32 ifindex;
  mcr_u32 counter_slot;
  mcr_u8 saddr[16];
  mcr_u8 daddr[16];
  mcr_u16 dport;    /* network byte order */
  mcr_u8 hop_limit; /* 1..255, or MCR_EBPF_TTL_INHERIT */
  mcr_u8 tclass;    /* DSCP << 2 */
  mcr_u8 dmac[6];
  mcr_u8 smac[6];
};

struct mcr_rule6 {
  mcr_u32 relay_slot;
  mcr_u32 output_count;
  struct mcr_rule6_output outputs[MCR_EBPF_MAX_OUTPUTS];
};

/* The one entry of the mmapable control array: the engine stores, the program loads. */
struct mcr_control {
  mcr_s64 forward_until_ns; /* CLOCK_MONOTONIC deadline (bpf_ktime_get_ns); 0 = none */
  mcr_u32 active;           /* 0 = standby: count, send nothing */
  mcr_u32 pad;
};

/* Per CPU, summed by the engine into the contract's counters of the same names. */
struct mcr_relay_counters {
  mcr_u64 packets_in;
  mcr_u64 bytes_in;
  mcr_u64 ttl_expired;
  mcr_u64 not_forwarded_standby;
  mcr_u64 held_by_fence;
  mcr_u64 last_packet_ns; /* CLOCK_MONOTONIC */
};

struct mcr_output_counters {
  mcr_u64 packets;
  mcr_u64 bytes;
  mcr_u64 send_errors;
  mcr_u64 last_packet_ns; /* CLOCK_MONOTONIC */
};

#endif
