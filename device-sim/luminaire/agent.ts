import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import {
  LOCAL_TELEMETRY_RULE,
  type TelemetryMessage,
  telemetryIngestTopic,
} from '#protocol/messages/telemetry.ts';
import { CONTROLLER_SHADOW_REPLIES, shadowTopic } from '#protocol/topics.ts';
import type { Luminaire } from '#schedules/inventory/schema.ts';
import type { Cancel, Clock } from '../clock.ts';
import { connectDevice, type DeviceConnection, firstConnect } from '../mqtt-connection.ts';
import {
  type ControllerConfig,
  ControllerState,
  type Effect,
  type Lamp,
  NAMED_SHADOWS,
  type NamedShadow,
  type NonVolatileMemory,
  type Reason,
} from './controller-state.ts';
import type { ShadowReply } from './shadow-messages.ts';

/**
 * The MQTT shell around the controller state machine: one MQTT connection per luminaire, as on a
 * real node (see mqtt-connection.ts for local TCP versus TLS to AWS IoT Core).
 */

export interface LogEntry {
  readonly level: 'info' | 'warn';
  readonly thing: string;
  readonly msg: string;
  readonly ts: number;
}

/** What the controller needs of the thing it drives: a luminaire, or a cabinet's circuit. */
export type ControlledLoad = Pick<Luminaire, 'thingName' | 'lat' | 'lon' | 'ledWatts' | 'minLevel'>;

export interface AgentOptions extends DeviceConnection {
  readonly luminaire: ControlledLoad;
  readonly clock: Clock;
  readonly standbyW?: number;
  readonly fw?: string;
  readonly fallbackLevel?: number;
  readonly telemetryEverySeconds?: number;
  /** See ControllerConfig.reportSpreadSeconds; by default the whole telemetry period. */
  readonly reportSpreadSeconds?: number;
  /** Meter memory carried over from a previous run (it survives reboots). */
  readonly nvm?: NonVolatileMemory;
  readonly log?: (entry: LogEntry) => void;
  /** Real milliseconds to wait for a shadow GET reply before asking again. */
  readonly getRetryMs?: number;
  /** The telemetry rule reports go to by Basic Ingest (the deployed stage's; the local one by default). */
  readonly telemetryRule?: string;
}

/** Rewrites the telemetry stream (fault injection): returns what to publish now. */
export type TelemetryTap = (message: TelemetryMessage) => TelemetryMessage[];

export interface AgentSnapshot {
  readonly thingName: string;
  readonly online: boolean;
  readonly level: number;
  readonly reason: Reason;
  readonly planHash: string | null;
  readonly powerW: number;
  readonly energyWh: number;
  readonly counterId: string;
  readonly faults: readonly string[];
}

/** Logs warnings as JSON lines on stderr; routine information is dropped. */
const warnToStderr = (entry: LogEntry): void => {
  if (entry.level === 'warn') process.stderr.write(`${JSON.stringify(entry)}\n`);
};

/** Emits `change` (an AgentSnapshot) whenever the level, reason, plan or connection changes. */
export class LuminaireAgent extends EventEmitter {
  readonly thingName: string;
  readonly nvm: NonVolatileMemory;
  readonly lamp: Lamp = { failed: false };
  telemetryTap: TelemetryTap | null = null;

  private readonly config: ControllerConfig;
  private readonly routes: Map<string, { shadow: NamedShadow; reply: ShadowReply }>;
  private readonly log: (entry: LogEntry) => void;
  private controller: ControllerState;
  private client: MqttClient | null = null;
  private cancelWake: Cancel = () => {};
  private getRetry: NodeJS.Timeout | undefined;
  private lastChange = '';
  private stopped = false;

  constructor(private readonly options: AgentOptions) {
    super();
    const l = options.luminaire;
    this.thingName = l.thingName;
    const telemetryEverySeconds = options.telemetryEverySeconds ?? 900;
    this.config = {
      thingName: l.thingName,
      lat: l.lat,
      lon: l.lon,
      ledWatts: l.ledWatts,
      minLevel: l.minLevel,
      standbyW: options.standbyW ?? 0.5,
      fw: options.fw ?? 'lumen-sim-1.0',
      fallbackLevel: options.fallbackLevel ?? 100,
      telemetryEverySeconds,
      reportSpreadSeconds: options.reportSpreadSeconds ?? telemetryEverySeconds,
    };
    this.nvm = options.nvm ?? { counterId: randomUUID(), energyWh: 0, burningHours: 0, seq: 0 };
    this.log = options.log ?? warnToStderr;
    this.routes = new Map(
      NAMED_SHADOWS.flatMap((shadow) =>
        CONTROLLER_SHADOW_REPLIES.map(
          (reply) => [shadowTopic(l.thingName, shadow, reply), { shadow, reply }] as const,
        ),
      ),
    );
    this.controller = this.boot();
  }

  /** Connects; resolves once the first connection is up (the agent keeps reconnecting by itself). */
  start(): Promise<void> {
    return firstConnect(this.connect());
  }

  /** Closes the connection for good and stops the controller's timers. */
  async stop(): Promise<void> {
    await this.closeConnection();
    this.stopped = true;
    this.cancelWake();
  }

  /** Simulated network loss: the connection drops and stays down until `goOnline`. */
  async goOffline(): Promise<void> {
    await this.closeConnection();
  }

  goOnline(): void {
    if (this.client === null && !this.stopped) this.connect();
  }

  /** Power cycle: RAM (plan, boost, shadow versions) is lost, the meter's memory is kept. */
  async reboot(): Promise<void> {
    if (this.stopped) return;
    await this.closeConnection();
    this.controller = this.boot();
    this.connect();
  }

  setLampFailed(failed: boolean): void {
    this.run((c, now) => c.setLampFailed(now, failed));
  }

  /** The driver and its meter are replaced: a new counter id, counting from zero. */
  replaceDriver(): void {
    this.run((c, now) => c.replaceDriver(now, randomUUID()));
  }

  snapshot(): AgentSnapshot {
    const c = this.controller;
    return {
      thingName: this.thingName,
      online: c.isOnline,
      level: c.level,
      reason: c.reason,
      planHash: c.planHash,
      powerW: c.powerW,
      energyWh: this.nvm.energyWh,
      counterId: this.nvm.counterId,
      faults: c.faults,
    };
  }

  /** The meter's energy counter at `at` (epoch seconds), for a cabinet's meter in front of it. */
  energyWhAt(at: number): number {
    return this.controller.energyAt(at);
  }

  private boot(): ControllerState {
    const controller = new ControllerState(this.config, this.nvm, this.lamp, this.options.clock.now());
    this.controller = controller;
    this.afterInput();
    return controller;
  }

  private connect(): MqttClient {
    const client = connectDevice(this.thingName, this.options);
    this.client = client;
    client.on('connect', () => {
      void this.onConnect(client);
    });
    client.on('close', () => {
      if (this.controller.isOnline) this.run((c, now) => c.disconnected(now));
    });
    client.on('error', (error) => this.write('warn', `mqtt: ${error.message}`));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    return client;
  }

  private async onConnect(client: MqttClient): Promise<void> {
    try {
      // QoS 0: AWS meters a device's PUBACK as a message of its own, and what a lost delivery
      // carried comes back by the controller's own GETs (CONTROLLER_SHADOW_REPLIES).
      await client.subscribeAsync([...this.routes.keys()], { qos: 0 });
    } catch (error) {
      this.write('warn', `subscribe failed: ${(error as Error).message}`);
      return;
    }
    if (client !== this.client) return;
    this.cancelGetRetry();
    this.run((c, now) => c.connected(now));
  }

  /** Asks again, while online, for shadows whose GET reply did not come (lost or throttled). */
  private scheduleGetRetry(): void {
    if (this.getRetry !== undefined) return;
    this.getRetry = setTimeout(() => {
      this.getRetry = undefined;
      const pending = this.controller.unsynced;
      if (pending.length === 0 || !this.controller.isOnline) return;
      for (const shadow of pending) this.execute({ type: 'getShadow', shadow });
      this.scheduleGetRetry();
    }, this.options.getRetryMs ?? 5000);
    this.getRetry.unref();
  }

  private cancelGetRetry(): void {
    clearTimeout(this.getRetry);
    this.getRetry = undefined;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const route = this.routes.get(topic);
    if (route === undefined) return;
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      this.write('warn', `ignored non-JSON payload on ${topic}`);
      return;
    }
    this.run((c, now) => c.shadowMessage(now, route.shadow, route.reply, body));
  }

  /** Feeds one input to the controller, carries out its effects and re-arms the wake-up timer. */
  private run(input: (c: ControllerState, now: number) => Effect[]): void {
    const effects = input(this.controller, this.options.clock.now());
    for (const effect of effects) this.execute(effect);
    if (this.controller.unsynced.length > 0) this.scheduleGetRetry();
    this.afterInput();
  }

  private afterInput(): void {
    this.cancelWake();
    const wakeAt = this.controller.wakeAt();
    if (Number.isFinite(wakeAt) && !this.stopped) {
      this.cancelWake = this.options.clock.at(wakeAt, () => this.run((c, now) => c.tick(now)));
    }
    const s = this.snapshot();
    const key = `${s.level}|${s.reason}|${s.planHash}|${s.online}`;
    if (key !== this.lastChange) {
      this.lastChange = key;
      this.emit('change', s);
    }
  }

  private execute(effect: Effect): void {
    switch (effect.type) {
      case 'getShadow':
        this.publish(shadowTopic(this.thingName, effect.shadow, 'get'), {});
        break;
      case 'report':
        this.publish(shadowTopic(this.thingName, undefined, 'update'), { state: { reported: effect.state } });
        break;
      case 'telemetry':
        this.report(effect.message);
        break;
      case 'log':
        this.write(effect.level, effect.msg);
        break;
    }
  }

  /** Sends a controller report: telemetry, for a luminaire (a cabinet sends its meter instead). */
  protected report(message: TelemetryMessage): void {
    const messages = this.telemetryTap === null ? [message] : this.telemetryTap(message);
    const topic = telemetryIngestTopic(this.options.telemetryRule ?? LOCAL_TELEMETRY_RULE, this.thingName);
    for (const m of messages) this.publish(topic, m);
  }

  protected publish(topic: string, body: unknown): void {
    const client = this.client;
    if (client === null || !client.connected) return;
    const payload = JSON.stringify(body);
    client.publish(topic, payload, { qos: 1 }, (error) => {
      if (error) this.write('warn', `publish to ${topic} failed: ${error.message}`);
    });
  }

  private write(level: LogEntry['level'], msg: string): void {
    this.log({ level, thing: this.thingName, msg, ts: Math.floor(this.options.clock.now()) });
  }

  private async closeConnection(): Promise<void> {
    this.cancelGetRetry();
    const client = this.client;
    this.client = null;
    if (client === null) return;
    await client.endAsync(true);
    if (this.controller.isOnline) this.run((c, now) => c.disconnected(now));
  }
}
