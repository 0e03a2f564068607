import { once } from 'node:events';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AedesPublishPacket } from 'aedes';
import { parseBasicIngestTopic } from '#protocol/topics.ts';
import { type IotMetering, messageKind, PUBACK_METERED_BYTES } from './metering.ts';

/**
 * The MQTT 3.1.1 side of the IoT Core stand-in: an in-process aedes broker on 127.0.0.1. It hands
 * every published message (from clients and from in-process code) to `onMessage`, refuses client
 * publishes that `mayPublish` rejects (AWS closes the connection too), remembers retained messages
 * for the data plane's GetRetainedMessage, and lets in-process code publish and subscribe. Basic
 * Ingest messages (`$aws/rules/...`) go to `onMessage` only: no subscriber ever receives them.
 */
export interface RetainedMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1;
  /** Milliseconds since the epoch. */
  readonly lastModifiedTime: number;
}

export interface PublishOptions {
  readonly qos?: 0 | 1;
  readonly retain?: boolean;
}

export type MessageHandler = (topic: string, payload: Buffer) => void | Promise<void>;

/**
 * Mutual TLS as AWS IoT Core does it: the broker presents `cert`, and only clients whose X.509
 * certificate was issued by `ca` may connect. PEM strings or buffers.
 */
export interface MqttTlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  readonly ca: string | Buffer;
  /** 0 or absent: a free port. */
  readonly port?: number;
}

export interface MqttBroker {
  /** `mqtt://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** `mqtts://127.0.0.1:<port>` when a TLS listener was asked for. */
  readonly tlsUrl?: string;
  publish(topic: string, payload: string | Uint8Array, options?: PublishOptions): Promise<void>;
  /** Subscribes in-process to a topic filter (wildcards allowed); returns the unsubscribe function. */
  subscribe(filter: string, handler: MessageHandler): Promise<() => Promise<void>>;
  retained(topic: string): RetainedMessage | undefined;
  close(): Promise<void>;
}

export interface MqttBrokerOptions {
  readonly port?: number;
  readonly onMessage: (topic: string, payload: Buffer) => void;
  readonly mayPublish: (topic: string) => boolean;
  readonly tls?: MqttTlsOptions;
  readonly metering?: IotMetering;
}

const isBasicIngest = (topic: string): boolean => parseBasicIngestTopic(topic) !== undefined;

async function listen(server: Server, port: number | undefined): Promise<number> {
  server.listen(port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

const publishBytes = (packet: { topic: string; payload: string | Buffer }): number =>
  Buffer.byteLength(packet.topic) + Buffer.byteLength(packet.payload);

/** Connections, subscriptions and acknowledgements of device clients, as AWS meters them. */
function meterClients(broker: Aedes, metering: IotMetering): void {
  broker.on('client', (client) => {
    metering.connected(client.id);
    // CONNECT is metered by its will message; these devices set none: the smallest message.
    metering.message(0, 'connect');
  });
  broker.on('clientDisconnect', (client) => metering.disconnected(client.id));
  broker.on('subscribe', (subscriptions) =>
    metering.message(
      subscriptions.reduce((bytes, s) => bytes + Buffer.byteLength(s.topic), 0),
      'subscribe',
    ),
  );
  // aedes passes no packet when the acknowledged one is already gone from its store: still a PUBACK.
  broker.on('ack', (packet: { cmd: string } | undefined) => {
    if (packet?.cmd !== 'pubrel') metering.message(PUBACK_METERED_BYTES, 'puback');
  });
}

export async function startMqttBroker(options: MqttBrokerOptions): Promise<MqttBroker> {
  const retained = new Map<string, RetainedMessage>();
  const { metering } = options;
  const broker = await Aedes.createBroker({
    authorizePublish(_client, packet, callback) {
      callback(
        options.mayPublish(packet.topic) ? null : new Error(`publishing to ${packet.topic} is not allowed`),
      );
    },
    authorizeForward: (_client, packet) => {
      if (isBasicIngest(packet.topic)) return null;
      metering?.message(publishBytes(packet), messageKind('deliver', packet.topic));
      return packet;
    },
  });
  if (metering !== undefined) meterClients(broker, metering);
  broker.on('publish', (packet: AedesPublishPacket, client) => {
    if (packet.topic.startsWith('$SYS/')) return;
    if (client !== null && metering !== undefined) {
      if (isBasicIngest(packet.topic)) metering.basicIngest();
      else metering.message(publishBytes(packet), messageKind('publish', packet.topic));
    }
    const payload = Buffer.from(packet.payload);
    if (packet.retain) {
      if (payload.length === 0) retained.delete(packet.topic);
      else
        retained.set(packet.topic, {
          topic: packet.topic,
          payload,
          qos: packet.qos === 0 ? 0 : 1,
          lastModifiedTime: Date.now(),
        });
    }
    options.onMessage(packet.topic, payload);
  });

  const servers: Server[] = [createServer(broker.handle)];
  if (options.tls !== undefined) {
    const { key, cert, ca } = options.tls;
    servers.push(
      createTlsServer({ key, cert, ca, requestCert: true, rejectUnauthorized: true }, broker.handle),
    );
  }
  const closeAll = async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await Promise.all(servers.filter((server) => server.listening).map(closeServer));
  };
  let ports: number[];
  try {
    ports = await Promise.all(
      servers.map((server, i) => listen(server, i === 0 ? options.port : options.tls?.port)),
    );
  } catch (error) {
    // The broker's heartbeat timer would keep the process alive.
    await closeAll();
    throw error;
  }
  const [port = 0, tlsPort] = ports;

  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    ...(tlsPort === undefined ? {} : { tlsUrl: `mqtts://127.0.0.1:${tlsPort}` }),
    publish(topic, payload, publishOptions = {}) {
      return new Promise((resolve, reject) => {
        broker.publish(
          {
            cmd: 'publish',
            topic,
            payload: Buffer.from(payload),
            qos: publishOptions.qos ?? 0,
            retain: publishOptions.retain ?? false,
            dup: false,
          },
          (error) => (error ? reject(error) : resolve()),
        );
      });
    },
    async subscribe(filter, handler) {
      // Acknowledged at once, like an asynchronous IoT rule action: a slow handler must not hold
      // the broker's delivery slots (a handler that writes shadows needs them to publish replies).
      const deliver = (packet: AedesPublishPacket, done: () => void): void => {
        done();
        if (isBasicIngest(packet.topic)) return;
        Promise.resolve()
          .then(() => handler(packet.topic, Buffer.from(packet.payload)))
          .catch((error: Error) => {
            process.stderr.write(
              `${JSON.stringify({ level: 'ERROR', message: 'in-process subscriber failed', filter, error: error.message })}\n`,
            );
          });
      };
      await new Promise<void>((resolve) => broker.subscribe(filter, deliver, resolve));
      return () => new Promise<void>((resolve) => broker.unsubscribe(filter, deliver, resolve));
    },
    retained: (topic) => retained.get(topic),
    close: closeAll,
  };
}
