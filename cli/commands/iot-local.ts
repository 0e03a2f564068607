import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { startIotLocal } from '#local-cloud/iot/index.ts';
import { defineCommand } from '../args.ts';

const USAGE = `usage: lighting iot-local [--mqtt-port 1883] [--http-port 4080] [--data-dir DIR]
                         [--per-thing-limit N] [--account-limit N]
                         [--tls-key FILE --tls-cert FILE --tls-ca FILE [--mqtts-port 8883]]

Runs the AWS IoT Core stand-in in the foreground: an MQTT 3.1.1 broker with the device shadow
topics ($aws/things/...) and the IoT data-plane HTTP API (point @aws-sdk/client-iot-data-plane's
endpoint at it), both on 127.0.0.1. Port 0 picks a free port. With --data-dir, shadows are kept in
DIR/shadows.json across restarts. The limits answer 429 beyond N shadow requests per second per
thing (AWS: 20) or for all things together (AWS: 400 or 4000 by region). With the three --tls-*
PEM files it also accepts MQTT over mutual TLS, like AWS IoT Core: the broker presents --tls-cert
and admits only device certificates issued by --tls-ca.
Prints one line containing "ready" and both URLs once both ports listen; Ctrl-C stops it.`;

const port = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a port number')
    .transform(Number)
    .pipe(z.number().int().max(65_535, 'expected a port number up to 65535'))
    .default(fallback);

const rate = z
  .string()
  .regex(/^\d+$/, 'expected requests per second')
  .transform(Number)
  .pipe(z.number().int().min(1, 'expected at least 1 request per second'))
  .optional();

const pemFile = z
  .string()
  .min(1)
  .refine((path) => existsSync(path), 'file not found')
  .transform((path) => readFileSync(path))
  .optional();

const Flags = z
  .strictObject({
    'mqtt-port': port(1883),
    'http-port': port(4080),
    'mqtts-port': port(8883),
    'data-dir': z.string().min(1).optional(),
    'per-thing-limit': rate,
    'account-limit': rate,
    'tls-key': pemFile,
    'tls-cert': pemFile,
    'tls-ca': pemFile,
  })
  .refine(
    (flags) => {
      const given = [flags['tls-key'], flags['tls-cert'], flags['tls-ca']].filter(
        (file) => file !== undefined,
      );
      return given.length === 0 || given.length === 3;
    },
    { path: ['tls-key'], message: '--tls-key, --tls-cert and --tls-ca go together' },
  );

export const command = defineCommand({
  name: 'iot-local',
  summary: 'run the IoT Core stand-in (MQTT shadows + IoT data-plane HTTP API) in the foreground',
  usage: USAGE,
  options: {
    'mqtt-port': { type: 'string' },
    'http-port': { type: 'string' },
    'data-dir': { type: 'string' },
    'per-thing-limit': { type: 'string' },
    'account-limit': { type: 'string' },
    'mqtts-port': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-ca': { type: 'string' },
  },
  flags: Flags,
  async run(flags) {
    const options = flags;
    const [key, cert, ca] = [options['tls-key'], options['tls-cert'], options['tls-ca']];
    let iot: Awaited<ReturnType<typeof startIotLocal>>;
    try {
      iot = await startIotLocal({
        mqttPort: options['mqtt-port'],
        httpPort: options['http-port'],
        ...(options['data-dir'] === undefined ? {} : { dataDir: options['data-dir'] }),
        limits: {
          ...(options['per-thing-limit'] === undefined ? {} : { perThing: options['per-thing-limit'] }),
          ...(options['account-limit'] === undefined ? {} : { account: options['account-limit'] }),
        },
        ...(key && cert && ca ? { mqttTls: { key, cert, ca, port: options['mqtts-port'] } } : {}),
      });
    } catch (error) {
      process.stderr.write(`lighting iot-local: ${(error as Error).message}\n`);
      return 1;
    }
    const mqtts = iot.mqttsUrl === undefined ? '' : ` mqtts=${iot.mqttsUrl}`;
    process.stdout.write(`iot-local ready mqtt=${iot.mqttUrl} http=${iot.httpEndpoint}${mqtts}\n`);

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const stop = (received: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(received);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await iot.stop();
    process.stderr.write(`iot-local stopped (${signal})\n`);
    return 0;
  },
});
