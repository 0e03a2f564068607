/**
 * Metres per degree of latitude (and of longitude at the equator) on a sphere of the mean Earth
 * radius, 6,371,008.8 m × π/180. Every local projection of the code (equirectangular over a town)
 * uses this one value, so the presence index, the simulated sensors and the tests agree on what
 * "within 30 m" means; over a town its error against the ellipsoid stays well under 1 %.
 */
export const METRES_PER_DEGREE = 111_195;
