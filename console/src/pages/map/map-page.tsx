import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { AlarmList } from '../../api/operations.ts';
import { useApp } from '../../app-context.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { hrefOf } from '../../href.ts';
import { t } from '../../i18n/index.ts';
import { keptWithAlarms, luminairesWithAlarms, mapShowsAlarmsOnly } from '../operations/alarms.ts';
import { viewFeatures } from './cluster-view.ts';
import { fetchLiveState } from './fetch-live-state.ts';
import { liveFeed } from './live-feed.ts';
import {
  countStates,
  DISPLAY_STATES,
  displayStates,
  filtered,
  type LiveTable,
  luminaireFeatures,
  type MapFilter,
  type SearchHit,
  search,
} from './live-table.ts';
import { adoptMapStart, showMapView, startMapView } from './map-prefetch.ts';
import type { MapView } from './map-view.ts';
import { clearSelection, onSelectionChange, selectedLuminaires } from './selection.ts';
import { colourOf } from './state-style.ts';
import type { StreetSegments } from './street-segments.ts';

/** How often the map asks for a newer snapshot (a 304 costs the API one read). */
const POLL_MS = 30_000;
/**
 * The street list of every zone is offered up to this many streets; a large city's (thousands)
 * would be a list nobody scrolls and seconds of page building: there a zone is chosen first.
 */
const STREETS_LISTED = 500;

interface Sensor {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly zone: string;
}

const nowSeconds = () => Date.now() / 1000;

function boundsOf(table: LiveTable, kept: Uint32Array): [[number, number], [number, number]] | undefined {
  if (kept.length === 0) return undefined;
  let [west, south, east, north] = [180, 90, -180, -90];
  // Indexed, not for-of: run once, this loop stays in the interpreter, where a typed array's
  // iterator made it 0.1 s for 200,000 luminaires (traced).
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k] ?? 0;
    const lon = table.lon[i] ?? 0;
    const lat = table.lat[i] ?? 0;
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return [
    [west, south],
    [east, north],
  ];
}

/** `#/map`: every luminaire the person may see, coloured by live state, with filters and search. */
export default function MapPage() {
  const { api, config } = useApp();
  const container = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<MapView>();
  const [table, setTable] = useState<LiveTable>();
  const [streets, setStreets] = useState<StreetSegments>();
  const [sensors, setSensors] = useState<readonly Sensor[]>([]);
  const [now, setNow] = useState(nowSeconds);
  const [filter, setFilter] = useState<MapFilter>({});
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(selectedLuminaires());
  const [error, setError] = useState<string>();
  const fitted = useRef(false);
  const alarmsOnly = mapShowsAlarmsOnly(new URLSearchParams(location.hash.split('?')[1] ?? ''));
  const [withAlarms, setWithAlarms] = useState<ReadonlySet<string>>();
  // Started by the shell with this page's chunk (map-prefetch.ts), when it was.
  const [started] = useState(adoptMapStart);

  useEffect(() => onSelectionChange(() => setSelected(selectedLuminaires())), []);

  useEffect(() => {
    const slot = container.current;
    if (slot === null) return;
    let live = true;
    let created: MapView | undefined;
    const start = started?.view ?? startMapView(config);
    showMapView(start, slot)
      .then((made) => {
        created = made;
        if (live) setView(made);
        else made.destroy();
      })
      .catch((failure: unknown) => live && setError((failure as Error).message || t('map.webglMissing')));
    return () => {
      live = false;
      created?.destroy();
      start.element.remove();
    };
  }, [config, started]);

  useEffect(() => {
    let live = true;
    let etag: string | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const feed = started?.feed ?? liveFeed();
    let prefetched = started?.state;
    const poll = async () => {
      const asked = prefetched ?? fetchLiveState(api, feed, etag);
      prefetched = undefined;
      try {
        const fresh = await asked;
        if (!live) return;
        if (fresh !== undefined) {
          etag = fresh.etag;
          setTable(fresh.table);
          fresh.streets.then((drawn) => live && setStreets(drawn));
        }
        setNow(nowSeconds());
        setError(undefined);
      } catch (failure) {
        if (live) setError((failure as Error).message);
      }
      if (live) timer = setTimeout(poll, POLL_MS);
    };
    poll();
    api
      .get<{ items: Sensor[] }>('/sensors')
      .then((answer) => live && setSensors(answer.items))
      .catch((failure: unknown) => live && setError((failure as Error).message));
    return () => {
      live = false;
      clearTimeout(timer);
      feed.close();
    };
  }, [api, started]);

  // `#/map?alarms=1` (the alarms page's link): only the luminaires with an open alarm.
  useEffect(() => {
    if (!alarmsOnly) return;
    let live = true;
    api
      .get<unknown>('/alarms')
      .then((body) => live && setWithAlarms(luminairesWithAlarms(AlarmList.parse(body).items)))
      .catch((failure: unknown) => live && setError((failure as Error).message));
    return () => {
      live = false;
    };
  }, [api, alarmsOnly]);

  const kept = useMemo(() => {
    if (table === undefined) return new Uint32Array();
    const byPlace = filtered(table, filter);
    return alarmsOnly ? keptWithAlarms(byPlace, table.ids, withAlarms) : byPlace;
  }, [table, filter, alarmsOnly, withAlarms]);
  const states = useMemo(() => (table === undefined ? undefined : displayStates(table, now)), [table, now]);
  const counts = useMemo(
    () => (states === undefined ? undefined : countStates(kept, states)),
    [kept, states],
  );
  const hits: SearchHit[] = useMemo(() => (table === undefined ? [] : search(table, query)), [table, query]);

  // By the zone's name, not the table: a new snapshot leaves the sensors shown as they were.
  const zoneName = filter.zone === undefined ? undefined : table?.zones[filter.zone];
  const shownSensors = useMemo(
    () => sensors.filter((sensor) => zoneName === undefined || sensor.zone === zoneName),
    [sensors, zoneName],
  );

  useEffect(() => {
    if (view === undefined || table === undefined || states === undefined) return;
    // Fitted first: the luminaires are then binned once, for the view they are seen in.
    const bounds = fitted.current ? undefined : boundsOf(table, kept);
    if (bounds !== undefined) {
      fitted.current = true;
      view.fitTo(bounds);
    }
    view.setLuminaires((box) => viewFeatures(table, kept, states, box));
  }, [view, table, kept, states]);

  useEffect(() => {
    if (view !== undefined && streets !== undefined) view.setStreets(streets);
  }, [view, streets]);

  useEffect(() => view?.filterStreets(filter.zone, filter.street), [view, filter]);

  useEffect(() => {
    view?.setSensors({
      type: 'FeatureCollection',
      features: shownSensors.map((sensor) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [sensor.lon, sensor.lat] },
        properties: { id: sensor.id },
      })),
    });
  }, [view, shownSensors]);

  useEffect(() => {
    if (view === undefined || table === undefined || states === undefined) return;
    // Nothing selected (as the map opens): no lookup of every luminaire's id.
    const selectedIndexes =
      selected.size === 0 ? new Uint32Array() : kept.filter((i) => selected.has(table.ids.at(i) ?? ''));
    view.setSelected(luminaireFeatures(table, selectedIndexes, states));
  }, [view, table, kept, states, selected]);

  const refit = (next: MapFilter) => {
    setFilter(next);
    if (table === undefined || view === undefined) return;
    const bounds = boundsOf(table, filtered(table, next));
    if (bounds !== undefined) view.fitTo(bounds);
  };

  const streetsOfZone = useMemo(() => {
    if (table === undefined || (filter.zone === undefined && table.streets.length > STREETS_LISTED))
      return undefined;
    const indexes = new Set<number>();
    for (let i = 0; i < table.ids.length; i++) {
      if (filter.zone === undefined || table.zone[i] === filter.zone) indexes.add(table.street[i] ?? 0);
    }
    return [...indexes].sort((a, b) => (table.streets[a] ?? '').localeCompare(table.streets[b] ?? '', 'fr'));
  }, [table, filter.zone]);

  const numberOrAll = (value: string): number | undefined => (value === '' ? undefined : Number(value));

  return (
    <section class="map-page">
      <h1 class="visually-hidden">{t('map.title')}</h1>
      <aside class="map-side">
        <h2>{t('map.filters')}</h2>
        {alarmsOnly && (
          <p class="map-alarm-filter">
            {t('alarms.mapFilter')} <a href={hrefOf('/map')}>{t('alarms.mapShowAll')}</a>
          </p>
        )}
        <label class="field">
          {t('map.zone')}
          <select
            name="zone"
            value={filter.zone ?? ''}
            onChange={(event) =>
              refit({ zone: numberOrAll((event.currentTarget as HTMLSelectElement).value) })
            }
          >
            <option value="">{t('map.all')}</option>
            {table?.zones.map((zone, i) => (
              <option key={zone} value={i}>
                {zone}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          {t('map.street')}
          <select
            name="street"
            value={filter.street ?? ''}
            onChange={(event) =>
              refit({ ...filter, street: numberOrAll((event.currentTarget as HTMLSelectElement).value) })
            }
          >
            <option value="">{streetsOfZone === undefined ? t('map.streetNeedsZone') : t('map.all')}</option>
            {streetsOfZone?.map((i) => (
              <option key={i} value={i}>
                {table?.streets[i]}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          {t('map.search')}
          <input
            type="search"
            name="search"
            value={query}
            onInput={(event) => setQuery((event.currentTarget as HTMLInputElement).value)}
          />
        </label>
        {query.trim() !== '' && (
          <section aria-label={t('map.searchResults')}>
            {hits.length === 0 ? (
              <p>{t('map.noResult')}</p>
            ) : (
              <ul class="map-hits">
                {hits.map((hit) =>
                  hit.kind === 'luminaire' ? (
                    <li key={`l${hit.index}`}>
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => view?.flyTo(table?.lon[hit.index] ?? 0, table?.lat[hit.index] ?? 0)}
                      >
                        {hit.label}
                      </button>{' '}
                      <a href={hrefOf('/luminaires/:id', { id: hit.label })}>↗</a>
                    </li>
                  ) : (
                    <li key={`s${hit.zone}-${hit.street}`}>
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => refit({ zone: hit.zone, street: hit.street })}
                      >
                        {hit.label}
                      </button>
                    </li>
                  ),
                )}
              </ul>
            )}
          </section>
        )}
        <h2>{t('map.legend')}</h2>
        <ul class="map-legend">
          {DISPLAY_STATES.map((state) => (
            <li key={state} data-state={state}>
              <span class="swatch" aria-hidden="true" style={{ background: colourOf(state, 100) }} />
              {t(`map.state.${state}`)} : <span class="count">{formatNumber(counts?.[state] ?? 0)}</span>
            </li>
          ))}
          <li>
            <span class="swatch sensor" aria-hidden="true" />
            {t('map.sensors')} : {formatNumber(shownSensors.length)}
          </li>
        </ul>
        <p class="map-count">{t('map.count', { count: formatNumber(kept.length) })}</p>
        {selected.size > 0 && (
          <p class="map-selection">
            {t('map.selected', { count: formatNumber(selected.size) })}{' '}
            <button type="button" class="secondary" onClick={clearSelection}>
              {t('map.clearSelection')}
            </button>
          </p>
        )}
        <p class="map-snapshot">
          {table?.at == null
            ? t('map.noSnapshot')
            : t('map.snapshot', {
                date: formatDateTime(Date.parse(table.at) / 1000, config.timezone),
                minutes: Math.round(table.reportIntervalSeconds / 60),
              })}
        </p>
        {error !== undefined && (
          <p class="error" role="alert">
            {t('app.error', { message: error })}
          </p>
        )}
      </aside>
      <div class="map-canvas" ref={container} />
    </section>
  );
}
