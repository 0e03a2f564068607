import { parseBasicIngestTopic } from '#protocol/topics.ts';
import { type DataPlaneServer, startDataPlaneHttp } from './data-plane-http.ts';
import type { IotMetering } from './metering.ts';
import {
  type MessageHandler,
  type MqttBroker,
  type MqttTlsOptions,
  type PublishOptions,
  startMqttBroker,
} from './mqtt-broker.ts';
import { RequestLimiter, type RequestLimits } from './request-limiter.ts';
import { parseShadowTopic } from './shadow-address.ts';
import { loadShadows, type ShadowWriter, shadowWriter } from './shadow-persistence.ts';
import { ShadowService } from './shadow-service.ts';
import { ShadowDocumentStore } from './shadow-store.ts';

/**
 * The AWS IoT Core stand-in: one shadow store served over MQTT (aedes, reserved `$aws/things/...`
 * topics) and over the IoT data-plane HTTP API, with optional request limits and, given a data
 * directory, shadows that survive a restart.
 */
export type { IotMetering } from './metering.ts';
export type { MessageHandler, MqttTlsOptions, PublishOptions } from './mqtt-broker.ts';
export type { RequestLimits } from './request-limiter.ts';

export interface IotLocalOptions {
  /** 0 or absent: a free port. */
  readonly mqttPort?: number;
  /** 0 or absent: a free port. */
  readonly httpPort?: number;
  /** Where shadows are saved (`shadows.json`); in memory only when absent. */
  readonly dataDir?: string;
  readonly limits?: RequestLimits;
  /** Also listen for MQTT over mutual TLS (X.509 client certificates), as devices reach AWS IoT. */
  readonly mqttTls?: MqttTlsOptions;
  /** Told what AWS IoT Core would bill, as it happens (a cost meter). */
  readonly metering?: IotMetering;
}

export interface IotLocal {
  /** `mqtt://127.0.0.1:<port>` for device clients (MQTT 3.1.1, plain TCP). */
  readonly mqttUrl: string;
  /** `mqtts://127.0.0.1:<port>` when `mqttTls` was given. */
  readonly mqttsUrl?: string;
  /** `http://127.0.0.1:<port>`: the `endpoint` of an IoTDataPlaneClient. */
  readonly httpEndpoint: string;
  /** Publishes into the broker as the service would (shadow request topics are served). */
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<void>;
  /** Subscribes in-process (e.g. the local IoT rule runner); resolves to the unsubscribe function. */
  subscribe(filter: string, handler: MessageHandler): Promise<() => Promise<void>>;
  /**
   * Hands the messages published on `$aws/rules/{ruleName}/...` (Basic Ingest) to `handler`, with
   * the topic the rule sees (the prefix removed), as AWS does; returns the function that stops it.
   * Messages for a rule nobody routes are dropped, like those for a rule that does not exist.
   */
  routeRule(ruleName: string, handler: MessageHandler): () => void;
  stop(): Promise<void>;
}

/** Replies on `/accepted`, `/rejected`, `/delta` and `/documents` come from the service only. */
const mayPublish = (topic: string): boolean => parseShadowTopic(topic)?.reply === undefined;

export async function startIotLocal(options: IotLocalOptions = {}): Promise<IotLocal> {
  const { dataDir } = options;
  let writer: ShadowWriter | undefined;
  const store = new ShadowDocumentStore({
    initial: dataDir === undefined ? {} : loadShadows(dataDir),
    onChange: () => writer?.changed(),
  });
  writer = dataDir === undefined ? undefined : shadowWriter(dataDir, () => store.snapshot());

  const rules = new Map<string, MessageHandler>();
  const onMessage = (topic: string, payload: Buffer): void => {
    const ingest = parseBasicIngestTopic(topic);
    if (ingest === undefined) {
      service.handleMessage(topic, payload);
      return;
    }
    const route = rules.get(ingest.ruleName);
    Promise.resolve()
      .then(() => route?.(ingest.topic, payload))
      .catch((error: Error) => {
        process.stderr.write(
          `${JSON.stringify({ level: 'ERROR', message: 'Basic Ingest rule failed', rule: ingest.ruleName, error: error.message })}\n`,
        );
      });
  };

  let broker: MqttBroker | undefined;
  const service = new ShadowService(
    store,
    new RequestLimiter(options.limits ?? {}),
    (topic, document) => {
      // Replies are fire-and-forget, as on AWS; publishing fails only once the broker is closing.
      broker?.publish(topic, JSON.stringify(document), { qos: 1 }).catch(() => undefined);
    },
    (bytes, kind) => options.metering?.shadowOperation(bytes, kind),
  );
  broker = await startMqttBroker({
    ...(options.mqttPort === undefined ? {} : { port: options.mqttPort }),
    ...(options.mqttTls === undefined ? {} : { tls: options.mqttTls }),
    ...(options.metering === undefined ? {} : { metering: options.metering }),
    mayPublish,
    onMessage,
  });
  const mqtt = broker;
  let http: DataPlaneServer;
  try {
    http = await startDataPlaneHttp({
      ...(options.httpPort === undefined ? {} : { port: options.httpPort }),
      service,
      mayPublish,
      publish: (topic, payload, publishOptions) => mqtt.publish(topic, payload, publishOptions),
      retained: (topic) => mqtt.retained(topic),
    });
  } catch (error) {
    await mqtt.close();
    throw error;
  }

  return {
    mqttUrl: mqtt.url,
    ...(mqtt.tlsUrl === undefined ? {} : { mqttsUrl: mqtt.tlsUrl }),
    httpEndpoint: http.endpoint,
    publish: (topic, payload, publishOptions) => mqtt.publish(topic, payload, publishOptions),
    subscribe: (filter, handler) => mqtt.subscribe(filter, handler),
    routeRule(ruleName, handler) {
      rules.set(ruleName, handler);
      return () => {
        if (rules.get(ruleName) === handler) rules.delete(ruleName);
      };
    },
    async stop() {
      await Promise.all([http.close(), mqtt.close()]);
      await writer?.flush();
    },
  };
}
