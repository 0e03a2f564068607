/**
 * The hash of a route with its parameters filled in (`hrefOf('/luminaires/:id', { id })`). A module
 * of its own: the routes table imports the map's prefetch, which links to a luminaire's page.
 */
export const hrefOf = (pattern: string, params: Readonly<Record<string, string>> = {}): string =>
  `#${pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))}`;
