export const JSON_MEDIA_TYPE = 'application/json';

/** RFC 7396's media type for a JSON merge patch; its body is JSON and parsed as such. */
export const MERGE_PATCH_MEDIA_TYPE = 'application/merge-patch+json';
