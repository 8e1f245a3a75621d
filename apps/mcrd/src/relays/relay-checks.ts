// The checks a relay passes before it is written: the model's semantic rules (400), a B leg equal
// to the input and loops against every ingress on this node (422), and, with the node-local file store, interfaces
// that exist on this host (400). A shared store (etcd) skips the host check: an HA peer may
// legitimately own an interface this node lacks; the reconciler then reports the relay `failed`.
import { BadRequestException, Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { findLegClash, findLoops, validateRelaySpec, type IngressOwner, type RelaySpec } from '@mcr/model';
import type { McrdConfig } from '../config/config.types';
import type { HostInterfaces } from '../engine/host-interfaces';
import { InterfaceMapper } from '../engine/interface-mapper';
import { HOST_INTERFACES, MCRD_CONFIG } from '../tokens';

@Injectable()
export class RelayChecks {
  private readonly checkHost: boolean;
  private readonly querierInterfaces: readonly string[];

  constructor(
    @Inject(MCRD_CONFIG) config: McrdConfig,
    @Inject(HOST_INTERFACES) private readonly host: HostInterfaces,
    private readonly mapper: InterfaceMapper,
  ) {
    this.checkHost = config.store.startsWith('file:');
    this.querierInterfaces = config.querier.interfaces;
  }

  /** Throws 400/422 for a spec that must not be stored; `others` excludes the relay being replaced. */
  check(spec: RelaySpec, others: IngressOwner[]): void {
    const invalid = validateRelaySpec(spec);
    if (invalid.length > 0) throw new BadRequestException(invalid);
    const hostSpec = this.mapper.toHost(spec);
    const loops = [
      ...findLegClash(hostSpec),
      ...findLoops(
        hostSpec,
        others.map((relay) => this.mapper.ingressesToHost(relay)),
      ),
    ];
    if (loops.length > 0) throw new UnprocessableEntityException(loops);
    this.checkOnDemand(spec, hostSpec);
    if (this.checkHost) this.checkInterfaces(spec, hostSpec);
  }

  /** An on-demand output sends only what the querier's membership table allows: it needs one there. */
  private checkOnDemand(spec: RelaySpec, hostSpec: RelaySpec): void {
    const unserved = spec.outputs
      .map((output, i) => ({ output, i, hostName: hostSpec.outputs[i].interface }))
      .filter(({ output, hostName }) => output.onDemand === true && !this.querierInterfaces.includes(hostName))
      .map(
        ({ output, i }) =>
          `outputs[${i}].onDemand needs the querier on '${output.interface}' (add it to MCR_QUERIER_INTERFACES)`,
      );
    if (unserved.length > 0) throw new UnprocessableEntityException(unserved);
  }

  private checkInterfaces(spec: RelaySpec, hostSpec: RelaySpec): void {
    const fields = [
      { path: 'input.interface', name: spec.input.interface, hostName: hostSpec.input.interface },
      ...(spec.redundancy === undefined || hostSpec.redundancy === undefined
        ? []
        : [
            {
              path: 'redundancy.input.interface',
              name: spec.redundancy.input.interface,
              hostName: hostSpec.redundancy.input.interface,
            },
          ]),
      ...spec.outputs.map((output, i) => ({
        path: `outputs[${i}].interface`,
        name: output.interface,
        hostName: hostSpec.outputs[i].interface,
      })),
    ];
    const missing = fields
      .filter((field) => !this.host.exists(field.hostName))
      .map((field) => {
        const mapped = field.hostName === field.name ? '' : ` (mapped to '${field.hostName}' by MCR_INTERFACE_MAP)`;
        return `${field.path} '${field.name}'${mapped} does not exist on this host`;
      });
    if (missing.length > 0) throw new BadRequestException(missing);
  }
}
