export const JWT_ALGORITHM = 'HS256';
export const JWT_ISSUER = 'org-management-service';
export const JWT_AUDIENCE = 'org-management-api';
