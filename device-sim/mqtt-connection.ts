import mqtt, { type MqttClient } from 'mqtt';

/**
 * How a simulated device connects, the same for luminaires and sensors: MQTT 3.1.1 (AWS IoT Core
 * and the local stand-in both speak it), client id = thing name (the IoT policy checks it), plain
 * TCP to the local stand-in, or TLS with the device's X.509 certificate to AWS IoT Core
 * (`mqtts://<prefix>-ats.iot.<region>.amazonaws.com:8883`).
 */

export interface DeviceTls {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  readonly ca: string | Buffer;
}

export interface DeviceConnection {
  readonly mqttUrl: string;
  readonly tls?: DeviceTls;
  /** Real milliseconds between reconnection attempts. */
  readonly reconnectPeriodMs?: number;
}

export function connectDevice(clientId: string, connection: DeviceConnection): MqttClient {
  const tls = connection.tls;
  return mqtt.connect(connection.mqttUrl, {
    clientId,
    protocolVersion: 4,
    clean: true,
    keepalive: 60,
    reconnectPeriod: connection.reconnectPeriodMs ?? 2000,
    connectTimeout: 10_000,
    resubscribe: false,
    ...(tls === undefined ? {} : { cert: tls.cert, key: tls.key, ca: tls.ca, rejectUnauthorized: true }),
  });
}

/** Resolves on the client's first connection, rejects on an error before it. */
export function firstConnect(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      client.off('connect', onConnect);
      reject(error);
    };
    const onConnect = (): void => {
      client.off('error', onError);
      resolve();
    };
    client.once('connect', onConnect);
    client.once('error', onError);
  });
}
