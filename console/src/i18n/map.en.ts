import type { mapFr } from './map.fr.ts';

export const mapEn = {
  'map.title': 'Map of the site',
  'map.canvas':
    'Map of the luminaires; click a luminaire to open its panel, Shift+click or Shift+drag to select',
  'map.filters': 'Filters',
  'map.zone': 'Zone',
  'map.street': 'Street',
  'map.all': 'All',
  'map.streetNeedsZone': 'Choose a zone first (or search the street)',
  'map.search': 'Search a luminaire or a street',
  'map.searchResults': 'Results',
  'map.noResult': 'No result',
  'map.legend': 'Legend',
  'map.state.unknown': 'Never reported',
  'map.state.off': 'Off',
  'map.state.lit': 'Lit (shade by level)',
  'map.state.boosted': 'Boosted by presence',
  'map.state.alarm': 'In alarm',
  'map.state.silent': 'Not reporting',
  'map.sensors': 'Presence sensors',
  'map.snapshot': 'State as of {date} (refreshed every {minutes} min)',
  'map.noSnapshot': 'No state snapshot yet: the first comes with the next sweep.',
  'map.count': '{count} luminaires shown',
  'map.selected': '{count} luminaires selected',
  'map.clearSelection': 'Clear the selection',
  'map.webglMissing': 'The map cannot be shown: this browser offers no WebGL.',
} satisfies Record<keyof typeof mapFr, string>;
