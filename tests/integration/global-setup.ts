import type { TestProject } from 'vitest/node';
import { startLocalCloud } from '#local-cloud/index.ts';

/**
 * Starts one local cloud per test run (DynamoDB Local in memory, the IoT Core stand-in, free ports)
 * for the integration tests, and hands its endpoints to them: `inject('dynamoEndpoint')`,
 * `inject('iotHttpEndpoint')`, `inject('mqttUrl')`. Tests isolate themselves with unique table
 * and thing names rather than servers of their own.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    iotHttpEndpoint: string;
    mqttUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The SDK's Node 20 notice would print once per run from this (main) process; workers get it off
  // through the config's `env`.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const cloud = await startLocalCloud();
  project.provide('dynamoEndpoint', cloud.dynamoEndpoint);
  project.provide('iotHttpEndpoint', cloud.iotHttpEndpoint);
  project.provide('mqttUrl', cloud.mqttUrl);
  return () => cloud.stop();
}
