import type { ControllerConfig } from '#device-sim/luminaire/controller-state.ts';

/** A 100 W luminaire's controller at Carcassonne, reporting every 15 minutes without a spread. */
export const testControllerConfig: ControllerConfig = {
  thingName: 'L-0001',
  lat: 43.213,
  lon: 2.349,
  ledWatts: 100,
  minLevel: 0,
  standbyW: 0.5,
  fw: 'sim-1',
  fallbackLevel: 100,
  telemetryEverySeconds: 900,
  reportSpreadSeconds: 0,
};
