import type { ClosedNightStore, LuminaireNight, NightReadingsReader } from '#functions/store/index.ts';

/** No night closed yet: the report closes every night from the night items `luminaireNights` gives. */
export function noClosedNights(
  luminaireNights: (id: string, from: string, to: string) => Promise<LuminaireNight[]>,
): Pick<ClosedNightStore, 'get' | 'getMonth'> & NightReadingsReader {
  return {
    get: async () => undefined,
    getMonth: async () => undefined,
    async nightReadings(ids, night) {
      const found = await Promise.all(
        ids.map(
          async (id) =>
            [id, (await luminaireNights(id, night, night)).find((n) => n.night === night)] as const,
        ),
      );
      return new Map(found.flatMap(([id, reading]) => (reading === undefined ? [] : [[id, reading]])));
    },
  };
}
