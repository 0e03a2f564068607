import { z } from 'zod';

/**
 * The site id: the partition-key prefix of every item of a site, the `SITE_ID` of the functions,
 * the `site` tag of the stacks and the `--site-id` of the local runtime. One rule for all of them,
 * so an id one accepts is never refused by another. The bound is the stricter of the two that had
 * drifted apart (40, the deployment's, whose default id is the site name's slug cut to 40): every id
 * in use satisfies it, and it leaves room in the keys and names built from it.
 */
export const SITE_ID_MAX_LENGTH = 40;

export const SiteId = z
  .string()
  .regex(
    new RegExp(`^[a-z0-9-]{1,${SITE_ID_MAX_LENGTH}}$`),
    `site id must be 1-${SITE_ID_MAX_LENGTH} characters of [a-z0-9-]`,
  );
