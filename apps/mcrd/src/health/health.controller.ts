// Health endpoints for orchestrators and keepalived: machines read the status code (200/503);
// HEAD works on every route. Always open, whatever the token settings.
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { Public } from '../http/public.decorator';
import { HealthIndicators } from './health.indicators';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: HealthIndicators,
  ) {}

  @Get('livez')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process and its event loop run (never touches the store)' })
  @ApiOkResponse({ description: 'Alive.' })
  @ApiServiceUnavailableResponse({ description: 'The event loop is stalled.' })
  livez(): Promise<HealthCheckResult> {
    return this.health.check([() => this.checks.eventLoop()]);
  }

  @Get('readyz')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: store reachable and the first reconcile applied to the engine' })
  @ApiOkResponse({ description: 'Ready.' })
  @ApiServiceUnavailableResponse({ description: 'Starting, shutting down, or the store is unreachable.' })
  readyz(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.checks.notShuttingDown(),
      () => this.checks.storeReachable(),
      () => this.checks.reconciled(),
      () => this.checks.sockets(),
    ]);
  }

  @Get('healthz')
  @HealthCheck()
  @ApiOperation({ summary: 'Healthy in its role (the body names the role)' })
  @ApiOkResponse({ description: 'Healthy.' })
  @ApiServiceUnavailableResponse({
    description:
      "A check failed; the body names it (inputs: this node's relay inputs are silent while a peer's are alive).",
  })
  healthz(): Promise<HealthCheckResult> {
    return this.health.check([...this.nodeChecks(), () => this.checks.inputs(), () => this.checks.role()]);
  }

  @Get('healthz/active')
  @HealthCheck()
  @ApiOperation({
    summary: 'Forwarding: 200 only on the node that forwards (for keepalived), whether or not the store answers',
  })
  @ApiOkResponse({ description: 'This node forwards.' })
  @ApiServiceUnavailableResponse({
    description: 'Standby (or fenced), shutting down, or the first reconcile is not applied yet.',
  })
  active(): Promise<HealthCheckResult> {
    // Whether this node forwards, not whether the store answers: under MCR_ON_STORE_LOSS=keep the
    // active goes on forwarding without etcd, and keepalived must keep the address with it.
    return this.health.check([
      () => this.checks.notShuttingDown(),
      () => this.checks.engineOpen(),
      () => this.checks.reconciled(),
      () => this.checks.role('active'),
    ]);
  }

  private nodeChecks(): HealthIndicatorFunction[] {
    return [
      () => this.checks.notShuttingDown(),
      () => this.checks.engineOpen(),
      () => this.checks.storeReachable(),
      () => this.checks.reconciled(),
      () => this.checks.sockets(),
    ];
  }
}
