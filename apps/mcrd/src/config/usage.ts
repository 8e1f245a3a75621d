// What `mcrd --help` prints: the service is configured by environment variables (and MCR_CONFIG),
// never by flags, so the help is the list of variables with their defaults.
import { MCRD_VERSION } from '../build-info';

export const MCRD_USAGE = `mcrd ${MCRD_VERSION}: the MCR multicast relay service (REST API, store, engine)

usage: mcrd [--help | --version]
Configured by environment variables; MCR_CONFIG names a YAML or JSON file that may set the same
keys (and seed \`relays\`), the environment wins over the file.

  MCR_HTTP_HOST, MCR_HTTP_PORT    where the API listens            127.0.0.1, 8080
                                  (MCR_HTTP_PORT=off: socket only)
  MCR_HTTP_SOCKET                 the API on a Unix socket too     unset
  MCR_HTTP_SOCKET_MODE,           its file mode (octal), group     0660, mcrd's group
  MCR_HTTP_SOCKET_GROUP
  MCR_STORE                       file:PATH, etcd://h:p[,h:p...]   file:./data/relays.json
                                  or etcds:// (TLS)
  MCR_ETCD_PREFIX                 keys under <prefix>/<cluster>/   /mcr
  MCR_ETCD_CA, MCR_ETCD_CERT,     etcd TLS: PEM file paths         unset
  MCR_ETCD_KEY
  MCR_ETCD_USER,                  etcd authentication              unset
  MCR_ETCD_PASSWORD
  MCR_CLUSTER, MCR_NODE_ID        cluster name, this node's id     default, hostname
  MCR_LEASE_TTL_S                 leadership lease, whole seconds  3
  MCR_ON_STORE_LOSS               standby (fence) or keep          standby
  MCR_PLACEMENT                   node (one active) or relay       node
                                  (each relay owned by one node)
  MCR_INTERFACE_MAP               logical=real names, e.g.         unset
                                  uplink=eth0,downlink=eth3
  MCR_API_TOKEN,                  bearer token for writes,         unset
  MCR_API_TOKEN_READ              for reads too
  MCR_LOG_LEVEL                   fatal error warn info debug      info
                                  trace silent (API reads: debug)
  MCR_LOG_FORMAT                  pretty or json                   pretty on a terminal,
                                                                   else json
engine tuning (docs/engine-performance.md):
  MCR_ENGINE_WORKERS              forwarding threads 1..256        1
  MCR_ENGINE_CPUS                 pin the workers, e.g. 2,3 / 2-5  unset (process affinity)
  MCR_ENGINE_REALTIME_PRIORITY    SCHED_FIFO 1..99 (CAP_SYS_NICE)  0 (normal scheduling)
  MCR_ENGINE_BUSY_POLL_US         poll this long before sleeping   0 (off)
  MCR_ENGINE_GRO                  UDP GRO on ingress sockets       off
  MCR_ENGINE_DATAPATH             socket, ebpf (tc program) or     socket
                                  auto (eBPF where possible)
IGMP/MLD querier (docs/multicast.md; needs CAP_NET_RAW):
  MCR_QUERIER_INTERFACES          query on these, e.g. eth1,eth2   unset (no querier)
  MCR_QUERIER_INTERVAL_S          general query interval 1..3600   125

example: MCR_HTTP_PORT=8080 MCR_STORE=file:/var/lib/mcr/relays.json mcrd
API docs: http://<host>:<port>/docs (Swagger UI); health: /healthz, /healthz/active; metrics: /metrics
`;

/** What the command line asks for; anything but --help/--version is a usage error (exit 2). */
export type CommandLine =
  { action: 'run' } | { action: 'help' } | { action: 'version' } | { action: 'usage-error'; message: string };

export function parseCommandLine(args: string[]): CommandLine {
  if (args.length === 0) return { action: 'run' };
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) return { action: 'help' };
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) return { action: 'version' };
  return {
    action: 'usage-error',
    message: `mcrd takes no arguments except --help and --version, got '${args.join(' ')}' (configuration is by MCR_* environment variables)`,
  };
}
