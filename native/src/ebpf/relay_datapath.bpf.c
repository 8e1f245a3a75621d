// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/* MCR's in-kernel datapath: a tc (tcx ingress) program on a relay's ingress interface. For an
 * IPv4 or IPv6 UDP datagram that matches a relay (interface, source, group, port; any-source
 * fallback) it rewrites the headers for each output (MACs, addresses, port, TTL or hop limit,
 * DSCP, checksums) and clones it to the output's interface; the last output takes the original.
 * Standby, a disabled relay and a passed fencing deadline consume and count without sending, as
 * the socket engine drains.
 * Whatever it cannot rewrite exactly (IP options, fragments, GSO super-packets) goes to the stack
 * untouched, where the relay's socket forwards it: the socket path is the fallback per datagram.
 * An IPv6 datagram with any extension header (fragments included) is such a datagram.
 * An IPv4 datagram the IP input path's reverse path filter (rp_filter) would drop also goes to the
 * stack, which drops it: the program runs before that path, so it checks the source itself. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "datapath_layout.h"

/* tcx verdicts (uapi 6.6+; older headers lack the names): next program, pass to the stack, drop. */
#define TCX_NEXT (-1)
#define TCX_DROP 2

/* Address families (linux/socket.h is not for the BPF target). */
#define AF_INET 2
#define AF_INET6 10

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, MCR_EBPF_MAX_RELAYS * 4);
  __type(key, struct mcr_rule_key);
  __type(value, struct mcr_rule);
} rules SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, MCR_EBPF_MAX_RELAYS * 4);
  __type(key, struct mcr_rule6_key);
  __type(value, struct mcr_rule6);
} rules6 SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __uint(map_flags, BPF_F_MMAPABLE);
  __type(key, __u32);
  __type(value, struct mcr_control);
} control SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, MCR_EBPF_MAX_RELAYS);
  __type(key, __u32);
  __type(value, struct mcr_relay_counters);
} relay_counters SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, MCR_EBPF_MAX_OUTPUT_SLOTS);
  __type(key, __u32);
  __type(value, struct mcr_output_counters);
} output_counters SEC(".maps");

#define IP_OFF ETH_HLEN
#define IP_CSUM_OFF (IP_OFF + offsetof(struct iphdr, check))
#define UDP_OFF (IP_OFF + sizeof(struct iphdr))
#define UDP_CSUM_OFF (UDP_OFF + offsetof(struct udphdr, check))
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
#define IP6_OFF ETH_HLEN
#define UDP6_OFF (IP6_OFF + sizeof(struct ipv6hdr))
#define UDP6_CSUM_OFF (UDP6_OFF + offsetof(struct udphdr, check))
/* The first 16 bits of an IPv6 header: version (4), traffic class (8), flow label (4). */
#define IP6_CLASS_SHIFT 4
#define IP6_CLASS_MASK 0x0ff0

/* IPv4. The header checksum covers TOS and TTL; the UDP checksum (optional: 0 stays 0) covers the
 * addresses (pseudo header) and the port. */

/* The header fields an output rewrites, as they are in the packet now. */
struct headers {
  __u32 saddr;
  __u32 daddr;
  __u16 dport;
  __u16 tos_word;  /* version/ihl + tos, network order */
  __u16 ttl_word;  /* ttl + protocol, network order */
};

static __always_inline int rewrite_word(struct __sk_buff* skb, __u32 offset, __u16 from, __u16 to, int l4) {
  if (from == to) return 0;
  if (bpf_l3_csum_replace(skb, IP_CSUM_OFF, from, to, 2) < 0) return -1;
  if (l4 && bpf_l4_csum_replace(skb, UDP_CSUM_OFF, from, to, BPF_F_MARK_MANGLED_0 | 2) < 0) return -1;
  return bpf_skb_store_bytes(skb, offset, &to, sizeof(to), 0);
}

static __always_inline int rewrite_address(struct __sk_buff* skb, __u32 offset, __u32 from, __u32 to) {
  if (from == to) return 0;
  if (bpf_l4_csum_replace(skb, UDP_CSUM_OFF, from, to, BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0 | 4) < 0) return -1;
  if (bpf_l3_csum_replace(skb, IP_CSUM_OFF, from, to, 4) < 0) return -1;
  return bpf_skb_store_bytes(skb, offset, &to, sizeof(to), 0);
}

/* Rewrites the packet from `now` to what `out` sends; `now` follows. 0 on success. */
static __always_inline int rewrite4(struct __sk_buff* skb, struct headers* now, const struct mcr_rule_output* out,
                                    __u8 ttl) {
  __u16 tos_word = bpf_htons((bpf_ntohs(now->tos_word) & 0xff00) | out->tos);
  __u16 ttl_word = bpf_htons((__u16)(ttl << 8) | (bpf_ntohs(now->ttl_word) & 0x00ff));
  if (rewrite_word(skb, IP_OFF, now->tos_word, tos_word, 0) < 0) return -1;
  if (rewrite_word(skb, IP_OFF + offsetof(struct iphdr, ttl), now->ttl_word, ttl_word, 0) < 0) return -1;
  if (rewrite_address(skb, IP_OFF + offsetof(struct iphdr, saddr), now->saddr, out->saddr) < 0) return -1;
  if (rewrite_address(skb, IP_OFF + offsetof(struct iphdr, daddr), now->daddr, out->daddr) < 0) return -1;
  if (now->dport != out->dport) {
    if (bpf_l4_csum_replace(skb, UDP_CSUM_OFF, now->dport, out->dport, BPF_F_MARK_MANGLED_0 | 2) < 0) return -1;
    if (bpf_skb_store_bytes(skb, UDP_OFF + offsetof(struct udphdr, dest), &out->dport, 2, 0) < 0) return -1;
  }
  if (bpf_skb_store_bytes(skb, 0, out->dmac, 6, 0) < 0) return -1;
  if (bpf_skb_store_bytes(skb, 6, out->smac, 6, 0) < 0) return -1;
  now->tos_word = tos_word;
  now->ttl_word = ttl_word;
  now->saddr = out->saddr;
  now->daddr = out->daddr;
  now->dport = out->dport;
  return 0;
}

/* IPv6. There is no header checksum, and the UDP checksum is mandatory: it covers the addresses
 * (pseudo header) and the port, not the traffic class or the hop limit. */

struct headers6 {
  __u8 saddr[16] __attribute__((aligned(8))); /* compared as two 64-bit words */
  __u8 daddr[16];
  __u16 dport;
  __u16 class_word; /* version, traffic class and the flow label's top bits, host order */
  __u8 hop_limit;
};

static __always_inline int same_address6(const __u8* a, const __u8* b) {
  const __u64* x = (const __u64*)a;
  const __u64* y = (const __u64*)b;
  return x[0] == y[0] && x[1] == y[1];
}

/* The L4 helper takes the 128-bit difference as a pseudo-header diff (size 0): it updates a full
 * checksum, or the pseudo-header sum of a CHECKSUM_PARTIAL packet (which the egress device or
 * skb_checksum_help completes). For CHECKSUM_COMPLETE it moves skb->csum by the checksum field's
 * change; BPF_F_RECOMPUTE_CSUM on the store adds the address's own change, so skb->csum stays
 * right on every kernel (BPF_F_IPV6, which skips the first half instead, exists only from 6.16). */
static __always_inline int rewrite_address6(struct __sk_buff* skb, __u32 offset, __u8* now, const __u8* to) {
  if (same_address6(now, to)) return 0;
  __s64 diff = bpf_csum_diff((__be32*)now, 16, (__be32*)to, 16, 0);
  if (diff < 0) return -1;
  if (bpf_l4_csum_replace(skb, UDP6_CSUM_OFF, 0, (__u32)diff, BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0) < 0) return -1;
  if (bpf_skb_store_bytes(skb, offset, to, 16, BPF_F_RECOMPUTE_CSUM) < 0) return -1;
  __builtin_memcpy(now, to, 16);
  return 0;
}

/* Fields outside every checksum but skb->csum (CHECKSUM_COMPLETE covers the IPv6 header). */
static __always_inline int rewrite_class_and_hops(struct __sk_buff* skb, struct headers6* now,
                                                  const struct mcr_rule6_output* out, __u8 hop_limit) {
  __u16 class_word = (now->class_word & ~IP6_CLASS_MASK) | ((__u16)out->tclass << IP6_CLASS_SHIFT);
  if (class_word != now->class_word) {
    __u16 wire = bpf_htons(class_word);
    if (bpf_skb_store_bytes(skb, IP6_OFF, &wire, 2, BPF_F_RECOMPUTE_CSUM) < 0) return -1;
    now->class_word = class_word;
  }
  if (hop_limit != now->hop_limit) {
    __u32 offset = IP6_OFF + offsetof(struct ipv6hdr, hop_limit);
    if (bpf_skb_store_bytes(skb, offset, &hop_limit, 1, BPF_F_RECOMPUTE_CSUM) < 0) return -1;
    now->hop_limit = hop_limit;
  }
  return 0;
}

/* Rewrites the packet from `now` to what `out` sends; `now` follows. 0 on success. */
static __always_inline int rewrite6(struct __sk_buff* skb, struct headers6* now, const struct mcr_rule6_output* out,
                                    __u8 hop_limit) {
  if (rewrite_class_and_hops(skb, now, out, hop_limit) < 0) return -1;
  if (rewrite_address6(skb, IP6_OFF + offsetof(struct ipv6hdr, saddr), now->saddr, out->saddr) < 0) return -1;
  if (rewrite_address6(skb, IP6_OFF + offsetof(struct ipv6hdr, daddr), now->daddr, out->daddr) < 0) return -1;
  if (now->dport != out->dport) {
    /* The checksum field's change cancels the port's in skb->csum: no recompute. */
    if (bpf_l4_csum_replace(skb, UDP6_CSUM_OFF, now->dport, out->dport, BPF_F_MARK_MANGLED_0 | 2) < 0) return -1;
    if (bpf_skb_store_bytes(skb, UDP6_OFF + offsetof(struct udphdr, dest), &out->dport, 2, 0) < 0) return -1;
    now->dport = out->dport;
  }
  /* The MAC header is outside skb->csum at tc ingress (the redirect adds it back). */
  if (bpf_skb_store_bytes(skb, 0, out->dmac, 6, 0) < 0) return -1;
  if (bpf_skb_store_bytes(skb, 6, out->smac, 6, 0) < 0) return -1;
  return 0;
}

/* Both families: rule lookup, counting, holding back and the fan-out are written once, over a
 * matched datagram whose `family` is a constant where it is built (relay_ipv4, relay_ipv6). Every
 * function here is always inlined, so the compiler folds each branch on the family: the program
 * has each family's code as if it had been written twice, with no run-time dispatch. */

/* The headers are pointed to, not held: the helpers take their addresses, and a struct whose
 * address a helper takes stays in memory, where the compiler can no longer fold `family`. */
struct matched {
  int family;              /* AF_INET or AF_INET6 */
  struct mcr_rule* rule;   /* AF_INET */
  struct mcr_rule6* rule6; /* AF_INET6 */
  struct headers* now;     /* AF_INET: the fields an output rewrites, as the packet has them now */
  struct headers6* now6;   /* AF_INET6 */
  __u8 ingress_ttl;        /* the TTL or hop limit the datagram arrived with */
};

/* The relay's rule for a datagram: the one for its source, else the any-source one (the same key
 * with its source zeroed). */
static __always_inline void* find_rule(void* rule_map, void* key, void* key_source, __u32 source_size) {
  void* rule = bpf_map_lookup_elem(rule_map, key);
  if (rule) return rule;
  __builtin_memset(key_source, 0, source_size);
  return bpf_map_lookup_elem(rule_map, key);
}

/* Each family builds its key in a function of its own, so the key's stack is free again once the
 * rule is found (the program's stack is 512 bytes). */
static __always_inline struct mcr_rule* find_rule4(__u32 ifindex, const struct iphdr* ip, __u16 dport) {
  struct mcr_rule_key key = {.ifindex = ifindex, .saddr = ip->saddr, .daddr = ip->daddr, .dport = dport};
  return find_rule(&rules, &key, &key.saddr, sizeof(key.saddr));
}

static __always_inline struct mcr_rule6* find_rule6(__u32 ifindex, const struct ipv6hdr* ip6, __u16 dport) {
  struct mcr_rule6_key key = {.ifindex = ifindex, .dport = dport};
  __builtin_memcpy(key.saddr, &ip6->saddr, 16);
  __builtin_memcpy(key.daddr, &ip6->daddr, 16);
  return find_rule(&rules6, &key, key.saddr, sizeof(key.saddr));
}

static __always_inline __u32 relay_slot(const struct matched* m) {
  return m->family == AF_INET ? m->rule->relay_slot : m->rule6->relay_slot;
}

static __always_inline __u32 output_count(const struct matched* m) {
  return m->family == AF_INET ? m->rule->output_count : m->rule6->output_count;
}

/* Output i's fields that both families have. Each is read where it is used, as a field would be:
 * a value read earlier would have to survive the helper calls in between on the stack. */
static __always_inline __u32 output_ifindex(const struct matched* m, __u32 i) {
  return m->family == AF_INET ? m->rule->outputs[i].ifindex : m->rule6->outputs[i].ifindex;
}

static __always_inline __u32 output_counter_slot(const struct matched* m, __u32 i) {
  return m->family == AF_INET ? m->rule->outputs[i].counter_slot : m->rule6->outputs[i].counter_slot;
}

/* The TTL or hop limit output i is configured with, or MCR_EBPF_TTL_INHERIT. */
static __always_inline __u8 output_configured_ttl(const struct matched* m, __u32 i) {
  return m->family == AF_INET ? m->rule->outputs[i].ttl : m->rule6->outputs[i].hop_limit;
}

/* Rewrites the packet for output i; 0 on success. */
static __always_inline int rewrite(struct __sk_buff* skb, struct matched* m, __u32 i, __u8 ttl) {
  if (m->family == AF_INET) return rewrite4(skb, m->now, &m->rule->outputs[i], ttl);
  return rewrite6(skb, m->now6, &m->rule6->outputs[i], ttl);
}

/* The TTL (hop limit) an output sends with; 0 when an inherited one has run out. */
static __always_inline __u8 output_ttl(__u8 configured, __u8 ingress) {
  if (configured != MCR_EBPF_TTL_INHERIT) return configured;
  return ingress <= 1 ? 0 : ingress - 1;
}

static __always_inline void count_sent(struct mcr_output_counters* sent, __u64 payload, __u64 now_ns) {
  sent->packets++;
  sent->bytes += payload;
  sent->last_packet_ns = now_ns;
}

static __always_inline int held_back(struct mcr_relay_counters* counters) {
  __u32 zero = 0;
  struct mcr_control* state = bpf_map_lookup_elem(&control, &zero);
  if (!state || !state->active) {
    counters->not_forwarded_standby++;
    return 1;
  }
  if (state->forward_until_ns != 0 && (__s64)bpf_ktime_get_ns() >= state->forward_until_ns) {
    counters->held_by_fence++;
    return 1;
  }
  return 0;
}

/* Sends the datagram to every output; returns the verdict for the original. Each output but the
 * last gets a clone; the last takes the original itself (bpf_redirect), which saves a clone and,
 * for a one-output relay, the copy the kernel makes before rewriting a packet a clone shares. */
static __always_inline int send_outputs(struct __sk_buff* skb, struct matched* m, __u64 payload, __u64 now_ns,
                                        struct mcr_relay_counters* counters) {
  int expired_counted = 0;
  for (__u32 i = 0; i < MCR_EBPF_MAX_OUTPUTS; i++) {
    if (i >= output_count(m)) break;
    __u8 ttl = output_ttl(output_configured_ttl(m, i), m->ingress_ttl);
    if (ttl == 0) {
      if (!expired_counted) counters->ttl_expired++;
      expired_counted = 1;
      continue;
    }
    __u32 slot = output_counter_slot(m, i);
    struct mcr_output_counters* sent = bpf_map_lookup_elem(&output_counters, &slot);
    if (!sent) continue;
    int last = i + 1 == output_count(m);
    if (rewrite(skb, m, i, ttl) < 0 || (!last && bpf_clone_redirect(skb, output_ifindex(m, i), 0) < 0)) {
      sent->send_errors++;
      continue;
    }
    count_sent(sent, payload, now_ns);
    if (last) return bpf_redirect(output_ifindex(m, i), 0);
  }
  return TCX_DROP;
}

/* Counts a datagram the program takes and, unless the relay is held back, sends it on. */
static __always_inline int relay(struct __sk_buff* skb, struct matched* m, const struct udphdr* udp) {
  __u32 slot = relay_slot(m);
  struct mcr_relay_counters* counters = bpf_map_lookup_elem(&relay_counters, &slot);
  if (!counters) return TCX_NEXT;
  __u64 payload = bpf_ntohs(udp->len) > sizeof(*udp) ? bpf_ntohs(udp->len) - sizeof(*udp) : 0;
  __u64 now_ns = bpf_ktime_get_ns();
  counters->packets_in++;
  counters->bytes_in += payload;
  counters->last_packet_ns = now_ns;
  if (held_back(counters)) return TCX_DROP;
  return send_outputs(skb, m, payload, now_ns, counters);
}

/* The IP input path's reverse path filter (fib_validate_source), for a datagram arriving on
 * skb->ifindex: a route lookup of the source as a destination, from the group as source, must find
 * a unicast route (loose), out of the ingress interface itself (strict). Input-style lookup (iif =
 * the ingress interface, any oif) like the kernel's, which looks up with no oif. The neighbour of
 * the route back does not matter (SKIP_NEIGH), nor its MTU: tot_len is set (a header's worth), so
 * the helper checks it instead of the skb's length. Anything but a pass (a blackhole, unreachable
 * or prohibit route, no route, forwarding off on the interface, another interface in strict mode)
 * sends the datagram to the stack, which decides as it always has. */
static __always_inline int source_passes_rp_filter(struct __sk_buff* skb, const struct iphdr* ip,
                                                   const struct udphdr* udp, __u32 mode) {
  if (mode == MCR_EBPF_RP_FILTER_OFF) return 1;
  struct bpf_fib_lookup fib = {
      .family = AF_INET,
      .l4_protocol = IPPROTO_UDP,
      .sport = udp->dest, /* the reverse direction's ports, as the kernel swaps them */
      .dport = udp->source,
      .tot_len = sizeof(struct iphdr),
      .ifindex = skb->ifindex,
      .tos = ip->tos,
      .ipv4_src = ip->daddr,
      .ipv4_dst = ip->saddr,
  };
  long verdict = bpf_fib_lookup(skb, &fib, sizeof(fib), BPF_FIB_LOOKUP_SKIP_NEIGH);
  if (verdict != BPF_FIB_LKUP_RET_SUCCESS) return 0;
  return mode != MCR_EBPF_RP_FILTER_STRICT || fib.ifindex == skb->ifindex;
}

static __always_inline int relay_ipv4(struct __sk_buff* skb) {
  struct iphdr ip;
  struct udphdr udp;
  if (bpf_skb_load_bytes(skb, IP_OFF, &ip, sizeof(ip)) < 0) return TCX_NEXT;
  if (ip.protocol != IPPROTO_UDP) return TCX_NEXT;
  if (bpf_skb_load_bytes(skb, UDP_OFF, &udp, sizeof(udp)) < 0) return TCX_NEXT;
  struct mcr_rule* rule = find_rule4(skb->ifindex, &ip, udp.dest);
  if (!rule) return TCX_NEXT;
  /* Options, fragments and GSO super-packets: the socket path handles them exactly. */
  if (ip.ihl != 5 || (bpf_ntohs(ip.frag_off) & (IP_MF | IP_OFFSET)) != 0 || skb->gso_segs > 1) return TCX_NEXT;
  /* Not counted as received: the stack drops it, and the relay's socket never sees it either. */
  if (!source_passes_rp_filter(skb, &ip, &udp, rule->rp_filter)) return TCX_NEXT;

  struct headers now = {.saddr = ip.saddr, .daddr = ip.daddr, .dport = udp.dest};
  __builtin_memcpy(&now.tos_word, &ip, 2);
  __builtin_memcpy(&now.ttl_word, (__u8*)&ip + offsetof(struct iphdr, ttl), 2);
  struct matched m = {.family = AF_INET, .rule = rule, .now = &now, .ingress_ttl = ip.ttl};
  return relay(skb, &m, &udp);
}

static __always_inline int relay_ipv6(struct __sk_buff* skb) {
  struct ipv6hdr ip6;
  struct udphdr udp;
  if (bpf_skb_load_bytes(skb, IP6_OFF, &ip6, sizeof(ip6)) < 0) return TCX_NEXT;
  /* Extension headers (a fragment header too) put UDP elsewhere: the socket path handles them. */
  if (ip6.nexthdr != IPPROTO_UDP) return TCX_NEXT;
  if (bpf_skb_load_bytes(skb, UDP6_OFF, &udp, sizeof(udp)) < 0) return TCX_NEXT;
  struct mcr_rule6* rule = find_rule6(skb->ifindex, &ip6, udp.dest);
  if (!rule) return TCX_NEXT;
  if (skb->gso_segs > 1) return TCX_NEXT;

  struct headers6 now = {.dport = udp.dest, .hop_limit = ip6.hop_limit};
  __builtin_memcpy(now.saddr, &ip6.saddr, 16);
  __builtin_memcpy(now.daddr, &ip6.daddr, 16);
  __u16 class_word;
  __builtin_memcpy(&class_word, &ip6, 2);
  now.class_word = bpf_ntohs(class_word);
  struct matched m = {.family = AF_INET6, .rule6 = rule, .now6 = &now, .ingress_ttl = ip6.hop_limit};
  return relay(skb, &m, &udp);
}

SEC("tc")
int mcr_relay_ingress(struct __sk_buff* skb) {
  if (skb->protocol == bpf_htons(ETH_P_IP)) return relay_ipv4(skb);
  if (skb->protocol == bpf_htons(ETH_P_IPV6)) return relay_ipv6(skb);
  return TCX_NEXT;
}
