import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import {
  LOCAL_PRESENCE_RULE,
  type PresenceMessage,
  presenceIngestTopic,
} from '#protocol/messages/presence.ts';
import type { PresenceSensor } from '#schedules/inventory/schema.ts';
import { connectDevice, type DeviceConnection, firstConnect } from '../mqtt-connection.ts';
import type { SimulatedDetection } from './traffic.ts';

/** A presence sensor node: its own MQTT connection, one PresenceMessage per detection. */
export class SensorAgent {
  private client: MqttClient | null = null;
  published = 0;

  constructor(
    readonly sensor: PresenceSensor,
    private readonly connection: DeviceConnection,
    /** The presence rule its detections go to by Basic Ingest (the deployed stage's; the local one by default). */
    private readonly presenceRule: string = LOCAL_PRESENCE_RULE,
  ) {}

  start(): Promise<void> {
    this.client = connectDevice(this.sensor.id, this.connection);
    return firstConnect(this.client);
  }

  /**
   * Publishes a detection to the presence rule by Basic Ingest (QoS 1; its unique id makes a
   * redelivery harmless). Dropped while offline.
   * No position: the cloud places the detection where its sensor inventory says this sensor stands.
   */
  detect({ kind, at }: Pick<SimulatedDetection, 'kind' | 'at'>): PresenceMessage | null {
    const client = this.client;
    if (client === null || !client.connected) return null;
    const message: PresenceMessage = { sensor: this.sensor.id, id: randomUUID(), ts: Math.floor(at), kind };
    client.publish(presenceIngestTopic(this.presenceRule, this.sensor.id), JSON.stringify(message), {
      qos: 1,
    });
    this.published++;
    return message;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.endAsync(true);
  }
}
