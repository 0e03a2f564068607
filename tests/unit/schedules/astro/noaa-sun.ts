/**
 * An independent reference for sunrise and sunset: the NOAA solar equations (NOAA Global Monitoring
 * Laboratory, "General Solar Position Calculations" and its sunrise/sunset spreadsheet, after Meeus),
 * iterated so that the sun's declination and the equation of time are taken at the event itself
 * rather than at noon. Standard altitude -0.833° (refraction 34' plus the sun's semi-diameter 16').
 */

const rad = Math.PI / 180;

function sunAt(julianDay: number): { declination: number; equationOfTimeMinutes: number } {
  const t = (julianDay - 2451545) / 36525;
  const meanLongitude = (280.46646 + t * (36000.76983 + t * 0.0003032)) % 360;
  const meanAnomaly = 357.52911 + t * (35999.05029 - 0.0001537 * t);
  const eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t);
  const centre =
    Math.sin(meanAnomaly * rad) * (1.914602 - t * (0.004817 + 0.000014 * t)) +
    Math.sin(2 * meanAnomaly * rad) * (0.019993 - 0.000101 * t) +
    Math.sin(3 * meanAnomaly * rad) * 0.000289;
  const omega = 125.04 - 1934.136 * t;
  const apparentLongitude = meanLongitude + centre - 0.00569 - 0.00478 * Math.sin(omega * rad);
  const meanObliquity = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60;
  const obliquity = meanObliquity + 0.00256 * Math.cos(omega * rad);
  const declination = Math.asin(Math.sin(obliquity * rad) * Math.sin(apparentLongitude * rad)) / rad;
  const y = Math.tan((obliquity / 2) * rad) ** 2;
  const l0 = meanLongitude * rad;
  const m = meanAnomaly * rad;
  const equationOfTime =
    y * Math.sin(2 * l0) -
    2 * eccentricity * Math.sin(m) +
    4 * eccentricity * y * Math.sin(m) * Math.cos(2 * l0) -
    0.5 * y * y * Math.sin(4 * l0) -
    1.25 * eccentricity * eccentricity * Math.sin(2 * m);
  return { declination, equationOfTimeMinutes: (4 * equationOfTime) / rad };
}

/**
 * Sunrise or sunset (epoch seconds) on the UTC calendar day `dayEpochSeconds` (its 00:00 UTC) at a
 * place, or null when the sun does not cross the horizon that day.
 */
export function noaaSunEvent(
  kind: 'sunrise' | 'sunset',
  dayEpochSeconds: number,
  lat: number,
  lon: number,
): number | null {
  const sign = kind === 'sunrise' ? -1 : 1;
  // Start from local solar noon and refine: each pass evaluates the sun at the previous estimate.
  let minutes = 720 - 4 * lon;
  for (let pass = 0; pass < 5; pass++) {
    const julianDay = 2440587.5 + (dayEpochSeconds + minutes * 60) / 86400;
    const { declination, equationOfTimeMinutes } = sunAt(julianDay);
    const cosHourAngle =
      Math.cos(90.833 * rad) / (Math.cos(lat * rad) * Math.cos(declination * rad)) -
      Math.tan(lat * rad) * Math.tan(declination * rad);
    if (cosHourAngle < -1 || cosHourAngle > 1) return null;
    const hourAngle = Math.acos(cosHourAngle) / rad;
    minutes = 720 - 4 * lon - equationOfTimeMinutes + sign * 4 * hourAngle;
  }
  return dayEpochSeconds + minutes * 60;
}
