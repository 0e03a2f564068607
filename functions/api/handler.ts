import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createTokenVerifier, type TokenVerifier } from '../auth/verifier.ts';
import { type ChunkQueue, makeSqsChunkQueue } from '../plan-push/chunk-queue.ts';
import { planPusherOf } from '../plan-push/plan-pusher.ts';
import { sqsClient } from '../shared/clients.ts';
import { AuthEnv, OriginEnv, PushQueueEnv, readEnv } from '../shared/env.ts';
import { logger } from '../shared/logger.ts';
import { lazyHandler, type Platform, productionPlatform } from '../shared/wiring.ts';
import { makeAlarmAcknowledgements } from '../store/alarm-acknowledgements.ts';
import { makeClientWindowCounter } from '../store/client-window-store.ts';
import { makeConfigChangeWriter } from '../store/config-changes.ts';
import { makeIdempotencyStore } from '../store/idempotency-store.ts';
import type { ApiDeps } from './deps.ts';
import { withIdempotency } from './idempotency.ts';
import { createRouter } from './router.ts';
import { cabinetRoutes } from './routes/cabinets.ts';
import { calendarMonthRoutes } from './routes/calendar-month.ts';
import { complianceRoutes } from './routes/compliance.ts';
import { liveStateRoutes } from './routes/live-state.ts';
import { luminaireRoutes } from './routes/luminaires.ts';
import { operationsRoutes } from './routes/operations.ts';
import { publicDataRoutes } from './routes/public-data.ts';
import { publicFaultReportRoutes } from './routes/public-fault-reports.ts';
import { reportRoutes } from './routes/reports.ts';
import { scheduleRoutes } from './routes/schedules.ts';
import { sensorRoutes } from './routes/sensors.ts';
import { settingsRoutes } from './routes/settings.ts';
import { statementRoutes } from './routes/statements.ts';
import { utilityRoutes } from './routes/utility.ts';

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** The technician API and the savings report behind one HTTP API `$default` route. */
export function makeHandler(
  deps: ApiDeps & { readonly verify: TokenVerifier; readonly originSecret?: string },
): ApiHandler {
  return createRouter(
    withIdempotency(
      [
        // Before /luminaires/{id}, which would take `state` for an id.
        ...liveStateRoutes(deps),
        ...luminaireRoutes(deps),
        ...sensorRoutes(deps),
        ...cabinetRoutes(deps),
        ...scheduleRoutes(deps),
        ...calendarMonthRoutes(deps),
        ...complianceRoutes(deps),
        ...operationsRoutes(deps),
        ...reportRoutes(deps),
        ...statementRoutes(deps),
        ...utilityRoutes(deps),
        ...settingsRoutes(deps),
        ...publicDataRoutes(deps),
        ...publicFaultReportRoutes(deps),
      ],
      deps,
    ),
    {
      verify: deps.verify,
      now: deps.now,
      originSecret: deps.originSecret,
      onUnexpectedError: (error, event) =>
        logger.error('api request failed', {
          error: error as Error,
          requestId: event.requestContext.requestId,
          route: `${event.requestContext.http.method} ${event.rawPath}`,
        }),
    },
  );
}

/** `queue`: the nightly push's chunk queue, which takes the changes too large to push in a request. */
export const wire = (platform: Platform, verify: TokenVerifier, queue: ChunkQueue, originSecret?: string) => {
  const { stores, shadows, table, now } = platform;
  return makeHandler({
    config: stores.config,
    luminaires: stores.luminaires,
    sensors: stores.sensors,
    cabinets: stores.cabinets,
    cabinetMeters: stores.cabinetMeters,
    liveState: stores.liveState,
    audit: stores.audit,
    alarms: stores.alarms,
    rollups: stores.rollups,
    statements: stores.statements,
    closedNights: stores.closedNights,
    utilityReadings: stores.utilityReadings,
    shadows,
    writer: makeConfigChangeWriter(table),
    idempotency: makeIdempotencyStore(table),
    clientWindows: makeClientWindowCounter(table),
    acknowledgements: makeAlarmAcknowledgements(table),
    pusher: planPusherOf(platform),
    queue,
    verify,
    originSecret,
    now,
    newId: randomUUID,
  });
};

export const handler = lazyHandler(() => {
  const auth = readEnv(AuthEnv);
  const { PUSH_QUEUE_URL } = readEnv(PushQueueEnv);
  const { ORIGIN_SECRET } = readEnv(OriginEnv);
  return wire(
    productionPlatform(),
    createTokenVerifier({
      jwksUrl: auth.AUTH_JWKS_URL,
      issuer: auth.AUTH_ISSUER,
      audience: auth.AUTH_AUDIENCE,
    }),
    makeSqsChunkQueue({ sqs: sqsClient(), queueUrl: PUSH_QUEUE_URL }),
    ORIGIN_SECRET,
  );
});
