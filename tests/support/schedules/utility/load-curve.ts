/** A utility export in the French style: every half-hour of the given days (dd/mm/yyyy), in watts. */
export function frenchLoadCurve(pdl: string, days: readonly string[], watts: number): string {
  const lines = ['PDL;timestamp;powerW'];
  for (const day of days) {
    for (let i = 0; i < 48; i++) {
      const hh = String(Math.floor(i / 2)).padStart(2, '0');
      lines.push(`${pdl};${day} ${hh}:${i % 2 === 0 ? '00' : '30'};${watts}`);
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
