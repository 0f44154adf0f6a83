/** Where every route of this API version is mounted: the one place it is spelled. */
export const API_BASE = '/api/v1';
