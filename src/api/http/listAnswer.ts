import type { Request } from 'express';
import type { RouteResult } from './route';

export const NEXT_CURSOR_HEADER = 'ArcFit-Next-Cursor';

/**
 * A collection answer, as the spec shows one: a bare JSON array. The next page travels in headers
 * (RFC 8288 `Link: <…?cursor=…>; rel="next"`, and the cursor alone in ArcFit-Next-Cursor), so a
 * client coded from the spec's examples reads the body unchanged and a paging client follows the
 * link. No Link header: this was the last page.
 */
export const listAnswer = (
  req: Request,
  items: readonly unknown[],
  nextCursor: string | null,
): RouteResult => {
  if (nextCursor === null) return { status: 200, body: items };
  const url = new URL(req.originalUrl, 'http://placeholder');
  url.searchParams.set('cursor', nextCursor);
  return {
    status: 200,
    body: items,
    headers: {
      Link: `<${url.pathname}${url.search}>; rel="next"`,
      [NEXT_CURSOR_HEADER]: nextCursor,
    },
  };
};
