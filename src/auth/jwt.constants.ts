export const JWT_ALGORITHM = 'HS256';
export const JWT_ISSUER = 'org-management-service';
export const JWT_AUDIENCE = 'org-management-api';
/** Allowed clock skew between servers for exp and nbf; small, so expiry still means expiry. */
export const JWT_CLOCK_TOLERANCE_SECONDS = 5;
